import { formatLocalTime, formatSpan } from '../core/duration.js';
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
const last = columns - 1;
/** Spaces between columns. */
const gap = 2;
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
  private lineStart = 0;

  constructor(expectedBytes: number) {
    this.bytes = Buffer.allocUnsafe(expectedBytes);
  }

  /** Writes `text`, then spaces up to `padTo` UTF-16 units (as padEnd counts them). */
  write(text: string, padTo = 0): void {
    const { length } = text;
    // A UTF-16 unit is at most 3 bytes of UTF-8.
    if (this.end + length * 3 + padTo > this.bytes.length) this.grow(length * 3 + padTo);
    const { bytes } = this;
    let at = this.end;
    let index = 0;
    for (; index < length; index++) {
      const code = text.charCodeAt(index);
      if (code >= 0x80) break;
      bytes[at++] = code;
    }
    if (index < length) at += bytes.write(text.slice(index), at);
    for (let column = length; column < padTo; column++) bytes[at++] = space;
    this.end = at;
  }

  /** Ends the line, without the spaces at its end. */
  endLine(): void {
    while (this.end > this.lineStart && this.bytes[this.end - 1] === space) this.end--;
    this.write('\n');
    this.lineStart = this.end;
  }

  result(): Buffer {
    return this.bytes.subarray(0, this.end);
  }

  private grow(count: number): void {
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
    for (let column = 0; column < columns; column++) if (cells[at + column]!.length > widths[column]!) widths[column] = cells[at + column]!.length;
  }

  // Sized for plain ASCII rows with colour codes; anything longer grows the buffer.
  let rowBytes = columns * (gap + statusColour.ok.length + reset.length);
  for (let column = 0; column < columns; column++) rowBytes += widths[column]!;
  const out = new TextBytes((evaluations.length + 3) * rowBytes + 256);
  const line = (source: readonly string[], at: number, status?: Status) => {
    for (let column = 0; column < last; column++) {
      if (column === statusColumn && status !== undefined && options.colour) {
        // The colour spans the padding, not the gap.
        out.write(statusColour[status]);
        out.write(source[at + column]!, widths[column]);
        out.write(reset, reset.length + gap);
      } else out.write(source[at + column]!, widths[column]! + gap);
    }
    out.write(source[at + last]!);
    out.endLine();
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
