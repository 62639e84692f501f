import { formatLocalTime, formatSpan } from '../core/duration.js';
import type { Evaluation } from '../evaluate/evaluate.js';
import { fixFor } from '../evaluate/fix.js';
import type { Report } from '../evaluate/report.js';
import type { Status } from '../evaluate/status.js';
import { wrap } from '../core/wrap.js';

const statusColour: Record<Status, string> = {
  ok: '\u001b[32m',
  expiring: '\u001b[33m',
  expired: '\u001b[31m',
  missing: '\u001b[31m',
  error: '\u001b[35m',
};
const reset = '\u001b[0m';

const headers = ['PROFILE', 'AGENT', 'PROVIDER', 'SOURCE', 'STATUS', 'EXPIRES', 'REMAINING', 'DETAIL'] as const;
type Header = (typeof headers)[number];
const gap = '  ';
/** The indent of a row's second line on a narrow terminal. */
const indent = '    ';

/** `11-24 21:05`: the expiry without year and offset, for a narrow terminal. */
const shortTime = (ms: number) => formatLocalTime(ms).slice(5, 16);

const cellsOf = (e: Evaluation, shortExpiry: boolean): string[] => [
  e.profile.id,
  e.profile.agent ?? '-',
  e.profile.provider,
  e.profile.source,
  e.status,
  e.expiresAt === null ? '-' : shortExpiry ? shortTime(e.expiresAt) : formatLocalTime(e.expiresAt),
  e.remainingMs === null ? '-' : formatSpan(e.remainingMs),
  withFix(e),
];

/** A row that is not ok says what to run, unless its detail says it already. */
function withFix(e: Evaluation): string {
  const fix = fixFor(e);
  return fix === null || e.detail.includes(fix) ? e.detail : e.detail ? `${e.detail}; fix: ${fix}` : `fix: ${fix}`;
}

/**
 * How a table fits `width` columns, narrowest last: the detail moves to an indented second
 * line, then the expiry loses its year and offset, then the source, the agent, the provider
 * (unless the profile id says it) and the expiry join the detail there. Without a width (piped) every row stays one line, for grep.
 */
const layouts: { moved: readonly Header[]; shortExpiry: boolean }[] = [
  { moved: [], shortExpiry: false },
  { moved: ['DETAIL'], shortExpiry: false },
  { moved: ['DETAIL'], shortExpiry: true },
  { moved: ['SOURCE', 'DETAIL'], shortExpiry: true },
  { moved: ['AGENT', 'SOURCE', 'DETAIL'], shortExpiry: true },
  { moved: ['AGENT', 'SOURCE', 'PROVIDER', 'DETAIL'], shortExpiry: true },
  { moved: ['AGENT', 'SOURCE', 'PROVIDER', 'EXPIRES', 'DETAIL'], shortExpiry: true },
];

function render(report: Report, colour: boolean, layout: (typeof layouts)[number], width: number | undefined): string[] {
  const kept = headers.map((header, column) => ({ header, column })).filter(({ header }) => !layout.moved.includes(header));
  const rows = report.evaluations.map((e) => cellsOf(e, layout.shortExpiry));
  // Widths in UTF-16 units, as padEnd counts them.
  const widths = kept.map(({ header, column }) => rows.reduce((max, cells) => Math.max(max, cells[column]!.length), header.length));
  // The spaces after a cell (its padding and the gap): one string per length, shared by every row.
  const spaces: string[] = [];
  const spacesAfter = (cell: string, width: number) => (spaces[width - cell.length] ??= ' '.repeat(width - cell.length + gap.length));
  // Built by concatenation, not map/join/replace: a 10,000-row table makes this line 10,000 times.
  const last = kept.length - 1;
  const line = (cells: readonly string[], status?: Status) => {
    let text = '';
    for (let index = 0; index < last; index++) {
      const { header, column } = kept[index]!;
      const cell = cells[column]!;
      // The colour spans the padding, not the gap.
      text += header === 'STATUS' && status !== undefined && colour ? `${statusColour[status]}${cell.padEnd(widths[index]!)}${reset}${gap}` : cell + spacesAfter(cell, widths[index]!);
    }
    text += cells[kept[last]!.column]!;
    let end = text.length;
    while (end > 0 && text.charCodeAt(end - 1) === 32) end--;
    return end === text.length ? text : text.slice(0, end);
  };
  const second = (cells: readonly string[]) => {
    const parts = layout.moved.flatMap((header) => {
      const cell = cells[headers.indexOf(header)]!;
      if (header === 'DETAIL') return cell ? [cell] : [];
      if (header === 'PROVIDER' && cells[0]!.startsWith(`${cell}:`)) return [];
      return cell === '-' ? [] : [`${header.toLowerCase()} ${cell}`];
    });
    return parts.length === 0 ? [] : wrap(parts.join('; '), Math.max((width ?? 0) - indent.length, 20)).map((text) => indent + text);
  };
  const lines = [line(headers)];
  for (let row = 0; row < rows.length; row++) {
    lines.push(line(rows[row]!, report.evaluations[row]!.status));
    if (layout.moved.length > 0) lines.push(...second(rows[row]!));
  }
  return lines;
}

/**
 * A plain-text table of the report, one row per profile, then a one-line summary. Given the
 * terminal's `width`, it fits it (see `layouts`). `above`: lines printed before it (the
 * providers table), joined in the same text: a 10,000-row table is not copied again to put
 * them in front.
 */
export function renderTable(report: Report, options: { colour: boolean; width?: number; above?: readonly string[] }): string {
  const { width } = options;
  let lines: string[] = [];
  for (const layout of width === undefined ? layouts.slice(0, 1) : layouts) {
    lines = render(report, options.colour, layout, width);
    // The rows must fit; the second lines are wrapped to fit (but for a word longer than the width).
    // Colour codes take no room on the screen.
    if (width === undefined || lines.every((text) => text.startsWith(indent) || text.replace(/\u001b\[\d+m/g, '').length <= width)) break;
  }
  const counts = new Map<Status, number>();
  for (const { status } of report.evaluations) counts.set(status, (counts.get(status) ?? 0) + 1);
  // Every provider can be served by keys that are no profile row (a key in openclaw.json).
  const summary = counts.size === 0 ? 'no stored credentials' : [...counts].map(([status, count]) => `${count} ${status}`).join(', ');
  const failedSources = report.visits.filter((visit) => !visit.ok).length;
  const total = `${summary}${failedSources ? `; ${failedSources} source(s) unreadable` : ''} — status ${report.status}, exit ${report.exitCode}`;
  lines.push('', ...(width === undefined ? [total] : wrap(total, width)), '');
  return (options.above ? options.above.concat(lines) : lines).join('\n');
}
