/**
 * Reads a SQLite write-ahead log the way a reader recovering it does: only frames whose salts
 * match the WAL header and whose running checksums verify count, up to the last commit frame.
 * The result says where the newest committed copy of each page is in the WAL; the WAL is read
 * in bounded chunks through `read`, never held whole, and nothing is written anywhere.
 */

const walHeaderBytes = 32;
const frameHeaderBytes = 24;
/** Bytes read per chunk: the memory a WAL of any size costs. */
const chunkBytes = 1 << 20;

/** Reads up to `length` bytes at `position` (fewer at the end of the file). */
export type ReadAt = (position: number, length: number) => Uint8Array;

export interface WalIndex {
  pageSize: number;
  /** Page number → offset in the WAL of its newest committed content. */
  pages: Map<number, number>;
  /** The database size in pages after the last commit, 0 when nothing is committed. */
  databasePages: number;
  /** The WAL header, to tell later whether the WAL was restarted meanwhile. */
  header: Uint8Array;
}

type WalResult = { ok: true; index: WalIndex } | { ok: false; message: string };

const littleEndianHost = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

function checksum(bytes: Uint8Array, bigEndian: boolean, seed: [number, number]): [number, number] {
  let [s0, s1] = seed;
  if (bigEndian !== littleEndianHost && bytes.byteOffset % 4 === 0) {
    // The common case (checksums in host order): whole words, no per-word byte swapping.
    const words = new Uint32Array(bytes.buffer, bytes.byteOffset, bytes.length >>> 2);
    for (let i = 0; i < words.length; i += 2) {
      s0 = (s0 + words[i]! + s1) >>> 0;
      s1 = (s1 + words[i + 1]! + s0) >>> 0;
    }
    return [s0, s1];
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let i = 0; i + 8 <= bytes.length; i += 8) {
    s0 = (s0 + view.getUint32(i, !bigEndian) + s1) >>> 0;
    s1 = (s1 + view.getUint32(i + 4, !bigEndian) + s0) >>> 0;
  }
  return [s0, s1];
}

export function readWalIndex(read: ReadAt, size: number): WalResult {
  // A copy in its own buffer (Buffer's own slice() would share a pooled one).
  const header = Uint8Array.prototype.slice.call(read(0, walHeaderBytes));
  if (header.length < walHeaderBytes) return { ok: false, message: 'the -wal file is shorter than a WAL header' };
  const view = new DataView(header.buffer, header.byteOffset, header.byteLength);
  const magic = view.getUint32(0);
  if (magic !== 0x377f0682 && magic !== 0x377f0683) return { ok: false, message: 'the -wal file has no WAL magic number' };
  const bigEndian = magic === 0x377f0683;
  const pageSize = view.getUint32(8);
  if (pageSize < 512 || pageSize > 65536 || (pageSize & (pageSize - 1)) !== 0) {
    return { ok: false, message: `the -wal file has an invalid page size (${pageSize})` };
  }
  let running = checksum(header.subarray(0, 24), bigEndian, [0, 0]);
  if (running[0] !== view.getUint32(24) || running[1] !== view.getUint32(28)) {
    return { ok: false, message: 'the -wal header checksum does not match' };
  }
  const salt1 = view.getUint32(16);
  const salt2 = view.getUint32(20);

  const frameBytes = frameHeaderBytes + pageSize;
  const framesPerChunk = Math.max(1, Math.floor(chunkBytes / frameBytes));
  const pending = new Map<number, number>();
  const pages = new Map<number, number>();
  let databasePages = 0;
  let offset = walHeaderBytes;
  scan: while (offset + frameBytes <= size) {
    const chunk = read(offset, Math.min(framesPerChunk, Math.floor((size - offset) / frameBytes)) * frameBytes);
    const chunkView = new DataView(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    for (let at = 0; at + frameBytes <= chunk.length; at += frameBytes, offset += frameBytes) {
      if (chunkView.getUint32(at + 8) !== salt1 || chunkView.getUint32(at + 12) !== salt2) break scan;
      running = checksum(chunk.subarray(at, at + 8), bigEndian, running);
      running = checksum(chunk.subarray(at + frameHeaderBytes, at + frameBytes), bigEndian, running);
      if (running[0] !== chunkView.getUint32(at + 16) || running[1] !== chunkView.getUint32(at + 20)) break scan;
      pending.set(chunkView.getUint32(at), offset + frameHeaderBytes);
      const pagesAfterCommit = chunkView.getUint32(at + 4);
      if (pagesAfterCommit > 0) {
        for (const [page, pageAt] of pending) pages.set(page, pageAt);
        pending.clear();
        databasePages = pagesAfterCommit;
      }
    }
    if (chunk.length < frameBytes) break;
  }
  for (const page of pages.keys()) if (page > databasePages) pages.delete(page);
  return { ok: true, index: { pageSize, pages, databasePages, header } };
}
