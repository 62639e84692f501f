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
const space = 0x20;

/**
 * UTF-8 text written straight into a byte buffer, character by character. A 10,000-profile
 * table built as strings (a padded copy of each cell, a line per row, the whole text flattened
 * for the write) was ≈ 18 MB of garbage for ≈ 1.5 MB of output; the buffer lives outside the
 * JavaScript heap and goes to stdout as it is.
 */
class TextBytes {
  private bytes: Buffer;
  private end = 0;

  constructor(expectedBytes: number) {
    this.bytes = Buffer.allocUnsafe(expectedBytes);
  }

  text(text: string): void {
    this.reserve(text.length * 3); // a UTF-16 unit is at most 3 bytes of UTF-8
    const { bytes } = this;
    let at = this.end;
    for (let index = 0; index < text.length; index++) {
      const code = text.charCodeAt(index);
      if (code >= 0x80) {
        at += bytes.write(text.slice(index), at);
        break;
      }
      bytes[at++] = code;
    }
    this.end = at;
  }

  spaces(count: number): void {
    this.reserve(count);
    const { bytes } = this;
    let at = this.end;
    for (let index = 0; index < count; index++) bytes[at++] = space;
    this.end = at;
  }

  /** Drops the spaces at the end of the line that started at `lineStart`. */
  trimLine(lineStart: number): void {
    while (this.end > lineStart && this.bytes[this.end - 1] === space) this.end--;
  }

  get length(): number {
    return this.end;
  }

  result(): Buffer {
    return this.bytes.subarray(0, this.end);
  }

  private reserve(count: number): void {
    if (this.end + count <= this.bytes.length) return;
    const larger = Buffer.allocUnsafe(Math.max(this.bytes.length * 2, this.end + count));
    this.bytes.copy(larger, 0, 0, this.end);
    this.bytes = larger;
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

  // Sized for plain ASCII rows with colour codes; anything longer grows the buffer.
  let rowBytes = columns * (2 + statusColour.ok.length + reset.length);
  for (let column = 0; column < columns; column++) rowBytes += widths[column]!;
  const out = new TextBytes((evaluations.length + 3) * rowBytes + 256);
  const line = (source: readonly string[], at: number, status?: Status) => {
    const start = out.length;
    for (let column = 0; column < columns; column++) {
      const cell = source[at + column]!;
      const colour = status !== undefined && column === statusColumn && options.colour;
      if (colour) out.text(statusColour[status]);
      out.text(cell);
      if (column === columns - 1) break;
      // Widths count UTF-16 units, as padEnd does.
      out.spaces(widths[column]! - cell.length);
      if (colour) out.text(reset);
      out.spaces(2);
    }
    out.trimLine(start);
    out.text('\n');
  };
  line(headers, 0);
  for (let row = 0; row < evaluations.length; row++) line(cells, row * columns, evaluations[row]!.status);

  const counts = new Map<Status, number>();
  for (let row = 0; row < evaluations.length; row++) counts.set(evaluations[row]!.status, (counts.get(evaluations[row]!.status) ?? 0) + 1);
  const summary = [...counts].map(([status, count]) => `${count} ${status}`).join(', ');
  const failedSources = report.visits.filter((visit) => !visit.ok).length;
  out.text(`\n${summary}${failedSources ? `; ${failedSources} source(s) unreadable` : ''} — status ${report.status}, exit ${report.exitCode}\n`);
  return out.result();
}
