import { formatLocalTime, formatSpan } from '../duration.js';
import type { Report } from '../evaluate/report.js';
import type { Status } from '../evaluate/status.js';

const statusColour: Record<Status, string> = {
  ok: '\u001b[32m',
  expiring: '\u001b[33m',
  expired: '\u001b[31m',
  missing: '\u001b[31m',
  error: '\u001b[35m',
};
const reset = '\u001b[0m';

const headers = ['PROFILE', 'AGENT', 'PROVIDER', 'SOURCE', 'STATUS', 'EXPIRES', 'REMAINING', 'DETAIL'] as const;
const columns = headers.length;
const statusColumn = 4;

/**
 * UTF-8 text gathered in a growing byte buffer. A 10,000-profile table built as one string
 * kept every row alive until the write (1.5 MB of rope and padded cells, copied by each young
 * GC and then promoted): rows written here one by one are garbage as soon as they are made,
 * and the buffer lives outside the JavaScript heap.
 */
class TextBytes {
  private bytes = Buffer.allocUnsafe(64 * 1024);
  private end = 0;

  write(text: string): void {
    const most = text.length * 3; // a UTF-16 unit is at most 3 bytes of UTF-8
    if (this.end + most > this.bytes.length) {
      const larger = Buffer.allocUnsafe(Math.max(this.bytes.length * 2, this.end + most));
      this.bytes.copy(larger, 0, 0, this.end);
      this.bytes = larger;
    }
    this.end += this.bytes.write(text, this.end);
  }

  result(): Buffer {
    return this.bytes.subarray(0, this.end);
  }
}

/** A plain-text table of the report, one row per profile, then a one-line summary; UTF-8. */
export function renderTable(report: Report, options: { colour: boolean }): Uint8Array {
  const { evaluations } = report;
  // One flat array of cells: per-row arrays were 10,000 more objects to collect.
  const cells: string[] = new Array<string>(evaluations.length * columns);
  const widths: number[] = headers.map((header) => header.length);
  // Indexed loops, here and below: a check is over before V8 optimises for-of, whose iterator
  // allocates an object per element until then.
  for (let row = 0; row < evaluations.length; row++) {
    const e = evaluations[row]!;
    const at = row * columns;
    cells[at] = e.profile.id;
    cells[at + 1] = e.profile.agent ?? '-';
    cells[at + 2] = e.profile.provider;
    cells[at + 3] = e.profile.source;
    cells[at + 4] = e.status;
    cells[at + 5] = e.expiresAt === null ? '-' : formatLocalTime(e.expiresAt);
    cells[at + 6] = e.remainingMs === null ? '-' : formatSpan(e.remainingMs);
    cells[at + 7] = e.detail;
    for (let column = 0; column < columns; column++) widths[column] = Math.max(widths[column]!, cells[at + column]!.length);
  }

  const out = new TextBytes();
  const line = (source: readonly string[], at: number, status?: Status) => {
    let text = '';
    for (let column = 0; column < columns - 1; column++) {
      // Widths count UTF-16 units, as padEnd does.
      const padded = source[at + column]!.padEnd(widths[column]!);
      text += (status !== undefined && column === statusColumn && options.colour ? `${statusColour[status]}${padded}${reset}` : padded) + '  ';
    }
    out.write(`${(text + source[at + columns - 1]!).trimEnd()}\n`);
  };
  line(headers, 0);
  for (let row = 0; row < evaluations.length; row++) line(cells, row * columns, evaluations[row]!.status);

  const counts = new Map<Status, number>();
  for (let row = 0; row < evaluations.length; row++) counts.set(evaluations[row]!.status, (counts.get(evaluations[row]!.status) ?? 0) + 1);
  const summary = [...counts].map(([status, count]) => `${count} ${status}`).join(', ');
  const failedSources = report.visits.filter((visit) => !visit.ok).length;
  out.write(`\n${summary}${failedSources ? `; ${failedSources} source(s) unreadable` : ''} — status ${report.status}, exit ${report.exitCode}\n`);
  return out.result();
}
