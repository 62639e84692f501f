import type { ReadAt } from './sqlite-wal.js';

/**
 * Reads a rollback journal (`<db>-journal`) the way SQLite plays a hot journal back, without
 * writing anything: the original content of the pages a writer changed in the main file, and
 * the size the file had before. Read over the main file, they give the last committed state —
 * whether the writer died mid-transaction (a hot journal) or is still writing (a live one,
 * whose changes SQLite's readers would not see either).
 */

const magic = Buffer.from('d9d505f920a163d7', 'hex');

export interface JournalIndex {
  /** Page number → offset in the journal of the page's committed content. */
  pages: Map<number, number>;
  /** The database's size in pages before the transaction. */
  databasePages: number;
}

type JournalResult = { ok: true; index: JournalIndex | null } | { ok: false; message: string };

/**
 * `index` is null when there is nothing to play back (empty, zeroed or never-synced journal).
 * A journal of a multi-database transaction (one naming a super-journal) is refused: whether
 * it committed depends on another file.
 */
export function readJournalIndex(read: ReadAt, size: number, databasePageSize: number): JournalResult {
  if (size === 0 || read(0, 1)[0] === 0) return { ok: true, index: null };
  if (size >= 8 && magic.equals(read(size - 8, 8))) {
    return { ok: false, message: 'a hot -journal of a multi-database transaction (it names a super-journal); open it once with sqlite3 to resolve it' };
  }
  const pages = new Map<number, number>();
  let databasePages = -1;
  let sectorSize = 0;
  let pageSize = 0;
  let offset = 0;
  for (;;) {
    // Each header starts at a sector boundary (pager.c, readJournalHdr).
    if (sectorSize > 0) offset = Math.ceil(offset / sectorSize) * sectorSize;
    const header = read(offset, 28);
    if (header.length < 28 || !magic.equals(header.subarray(0, 8))) break;
    const view = new DataView(header.buffer, header.byteOffset, 28);
    let records = view.getUint32(8);
    const nonce = view.getUint32(12);
    const pagesBefore = view.getUint32(16);
    if (offset === 0) {
      sectorSize = view.getUint32(20);
      pageSize = view.getUint32(24) || databasePageSize;
      if (pageSize < 512 || pageSize > 65536 || (pageSize & (pageSize - 1)) !== 0 || sectorSize < 32 || sectorSize > 65536 || (sectorSize & (sectorSize - 1)) !== 0) break;
      if (pageSize !== databasePageSize) return { ok: false, message: 'a hot -journal from a change of page size (VACUUM); open it once with sqlite3 to resolve it' };
      databasePages = pagesBefore;
    }
    if (offset + sectorSize > size) break;
    offset += sectorSize;
    const recordBytes = 8 + pageSize;
    // A journal written without syncs says 0xffffffff: every record to the end counts.
    if (records === 0xffffffff) records = Math.floor((size - offset) / recordBytes);
    for (let i = 0; i < records; i++, offset += recordBytes) {
      const record = read(offset, recordBytes);
      if (record.length < recordBytes) return { ok: true, index: finish(pages, databasePages) };
      const recordView = new DataView(record.buffer, record.byteOffset, recordBytes);
      const page = recordView.getUint32(0);
      if (page === 0 || page === Math.floor(0x40000000 / pageSize) + 1) return { ok: true, index: finish(pages, databasePages) };
      let sum = nonce;
      for (let at = pageSize - 200; at > 0; at -= 200) sum = (sum + record[4 + at]!) >>> 0;
      if (sum !== recordView.getUint32(4 + pageSize)) return { ok: true, index: finish(pages, databasePages) };
      if (page <= databasePages) pages.set(page, offset + 4);
    }
  }
  return { ok: true, index: finish(pages, databasePages) };
}

function finish(pages: Map<number, number>, databasePages: number): JournalIndex | null {
  return databasePages < 0 ? null : { pages, databasePages };
}
