import { formatLocalTime, formatSpan } from '../core/duration.js';
import { statusRank } from '../evaluate/status.js';
import type { AlertBatch, Notice } from './notifier.js';

// All alert wording lives here, built from Notices (which never hold secrets), so every
// channel says the same thing and nothing else can slip in.

export type Severity = 'critical' | 'warning' | 'info';

export function severityOf(notice: Pick<Notice, 'status' | 'kind'>): Severity {
  if (notice.kind === 'resolved') return 'info';
  return notice.status === 'expiring' ? 'warning' : 'critical';
}


/** Firing notices first, worst status first; resolved ones last. */
export function orderNotices(notices: readonly Notice[]): Notice[] {
  return [...notices].sort(
    (a, b) => Number(a.kind === 'resolved') - Number(b.kind === 'resolved') || statusRank[b.status] - statusRank[a.status] || a.key.localeCompare(b.key),
  );
}

function label(notice: Notice): string {
  return notice.kind === 'resolved' ? 'RESOLVED' : notice.status.toUpperCase();
}

/** `[authwatch] EXPIRED anthropic:default on gateway-1 (+1 expiring)` */
export function subjectOf(batch: AlertBatch): string {
  if (batch.about) return `[authwatch] ${batch.about.subject}`;
  const [first, ...rest] = orderNotices(batch.notices);
  if (!first) return `[authwatch] nothing to report on ${batch.host}`;
  const counts = new Map<string, number>();
  for (const notice of rest) counts.set(label(notice).toLowerCase(), (counts.get(label(notice).toLowerCase()) ?? 0) + 1);
  const more = [...counts].map(([what, count]) => `+${count} ${what}`).join(', ');
  return `[authwatch] ${label(first)} ${first.profile} on ${batch.host}${more ? ` (${more})` : ''}`;
}

function utcTime(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

function headline(notice: Notice): string {
  const prefix = notice.kind === 'reminder' ? 'still ' : notice.kind === 'escalation' ? 'now ' : '';
  return `${label(notice)}: ${notice.profile} (${notice.provider}${notice.agent ? `, agent ${notice.agent}` : ''}) — ${prefix}${notice.kind === 'resolved' ? 'ok again' : notice.status}`;
}

/** The lines of one profile's block, shared by the text and HTML bodies. */
function blockLines(notice: Notice): string[] {
  const lines = [headline(notice)];
  if (notice.expiresAt !== null) {
    const when = notice.remainingMs !== null && notice.remainingMs < 0 ? `expired ${formatSpan(-notice.remainingMs)} ago` : `expires in ${formatSpan(notice.remainingMs ?? 0)}`;
    lines.push(`${when}: ${formatLocalTime(notice.expiresAt)} (${utcTime(notice.expiresAt)})`);
  }
  if (notice.detail) lines.push(notice.detail);
  lines.push(`source: ${notice.path ?? notice.source}`);
  if (notice.kind !== 'resolved') lines.push(`fix: ${notice.fix}`);
  return lines;
}

export function textOf(batch: AlertBatch): string {
  if (batch.about) return `${batch.about.text} (${batch.host}, ${utcTime(batch.now)})\n`;
  const blocks = orderNotices(batch.notices).map((notice) => blockLines(notice).join('\n'));
  return `authwatch on ${batch.host}, ${utcTime(batch.now)}\n\n${blocks.join('\n\n')}\n\nRun \`authwatch check\` on ${batch.host} for the full picture.\n`;
}

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The same content as `textOf`, as plain HTML without links or images: it reads well on a phone. */
export function htmlOf(batch: AlertBatch): string {
  const paragraphs = batch.about
    ? [`<p>${escapeHtml(textOf(batch).trim())}</p>`]
    : [
        `<p>authwatch on <b>${escapeHtml(batch.host)}</b>, ${escapeHtml(utcTime(batch.now))}</p>`,
        ...orderNotices(batch.notices).map((notice) => {
          const [first, ...rest] = blockLines(notice);
          return `<p><b>${escapeHtml(first!)}</b><br>${rest.map(escapeHtml).join('<br>')}</p>`;
        }),
        `<p>Run <code>authwatch check</code> on ${escapeHtml(batch.host)} for the full picture.</p>`,
      ];
  return `<!doctype html><html><body style="font-family:sans-serif">${paragraphs.join('\n')}</body></html>\n`;
}

/** A short title for push notifications. */
export function titleOf(batch: AlertBatch): string {
  return subjectOf(batch).replace(/^\[authwatch\] /, 'authwatch: ');
}

/** The worst severity in a batch, for priorities and tags. */
export function batchSeverity(batch: AlertBatch): Severity {
  if (batch.about) return batch.about.severity;
  const severities = batch.notices.map(severityOf);
  return severities.includes('critical') ? 'critical' : severities.includes('warning') ? 'warning' : 'info';
}

/** A one-line summary and description per notice, for Alertmanager-shaped payloads. */
export function annotationsOf(notice: Notice): { summary: string; description: string } {
  return { summary: headline(notice), description: blockLines(notice).slice(1).join('\n') };
}
