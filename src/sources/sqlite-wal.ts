/**
 * Applies a SQLite write-ahead log to a copy of the main database bytes, in memory, the way a
 * reader recovering the WAL would: only frames whose salts match the WAL header and whose
 * running checksums verify count, up to the last commit frame. The result is a plain
 * rollback-journal database image that a WAL-less reader (sql.js) can open. Nothing is
 * written anywhere.
 */

const walHeaderBytes = 32;
const frameHeaderBytes = 24;

export type WalResult =
  | { ok: true; bytes: Uint8Array; framesApplied: number }
  | { ok: false; message: string };

function checksum(view: DataView, offset: number, length: number, bigEndian: boolean, seed: [number, number]): [number, number] {
  let [s0, s1] = seed;
  for (let i = offset; i < offset + length; i += 8) {
    s0 = (s0 + view.getUint32(i, !bigEndian) + s1) >>> 0;
    s1 = (s1 + view.getUint32(i + 4, !bigEndian) + s0) >>> 0;
  }
  return [s0, s1];
}

export function applyWal(database: Uint8Array, wal: Uint8Array): WalResult {
  if (wal.length < walHeaderBytes) return { ok: false, message: 'the -wal file is shorter than a WAL header' };
  const view = new DataView(wal.buffer, wal.byteOffset, wal.byteLength);
  const magic = view.getUint32(0);
  if (magic !== 0x377f0682 && magic !== 0x377f0683) return { ok: false, message: 'the -wal file has no WAL magic number' };
  const bigEndian = magic === 0x377f0683;
  const pageSize = view.getUint32(8);
  if (pageSize < 512 || pageSize > 65536 || (pageSize & (pageSize - 1)) !== 0) {
    return { ok: false, message: `the -wal file has an invalid page size (${pageSize})` };
  }
  const salt1 = view.getUint32(16);
  const salt2 = view.getUint32(20);
  let running = checksum(view, 0, 24, bigEndian, [0, 0]);
  if (running[0] !== view.getUint32(24) || running[1] !== view.getUint32(28)) {
    return { ok: false, message: 'the -wal header checksum does not match' };
  }

  const pending = new Map<number, number>();
  const committed = new Map<number, number>();
  let committedPages = 0;
  for (let offset = walHeaderBytes; offset + frameHeaderBytes + pageSize <= wal.length; offset += frameHeaderBytes + pageSize) {
    if (view.getUint32(offset + 8) !== salt1 || view.getUint32(offset + 12) !== salt2) break;
    running = checksum(view, offset, 8, bigEndian, running);
    running = checksum(view, offset + frameHeaderBytes, pageSize, bigEndian, running);
    if (running[0] !== view.getUint32(offset + 16) || running[1] !== view.getUint32(offset + 20)) break;
    const page = view.getUint32(offset);
    pending.set(page, offset + frameHeaderBytes);
    const databasePagesAfterCommit = view.getUint32(offset + 4);
    if (databasePagesAfterCommit > 0) {
      for (const [p, at] of pending) committed.set(p, at);
      pending.clear();
      committedPages = databasePagesAfterCommit;
    }
  }
  if (committed.size === 0) return { ok: true, bytes: database, framesApplied: 0 };

  const image = new Uint8Array(Math.max(committedPages * pageSize, 0));
  image.set(database.subarray(0, Math.min(database.length, image.length)));
  for (const [page, at] of committed) {
    if (page >= 1 && page <= committedPages) image.set(wal.subarray(at, at + pageSize), (page - 1) * pageSize);
  }
  // Mark the image as a rollback-journal database so a reader does not look for a WAL.
  image[18] = 1;
  image[19] = 1;
  return { ok: true, bytes: image, framesApplied: committed.size };
}
