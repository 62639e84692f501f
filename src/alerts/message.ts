import { expiryPhrase, formatLocalTime } from '../core/duration.js';
import { statusRank } from '../evaluate/status.js';
import type { AlertBatch, Notice } from './notifier.js';
import { sourceNames } from '../sources/source-names.js';

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

// All alert wording lives here, built from Notices (which never hold secrets), so every
// channel says the same thing and nothing else can slip in.

export type Severity = 'critical' | 'warning' | 'info';

export function severityOf(notice: Pick<Notice, 'status' | 'kind'>): Severity {
  if (notice.kind === 'resolved') return 'info';
  return notice.status === 'expiring' ? 'warning' : 'critical';
}


/** Firing notices first, those the gateway's routes use before the rest, worst status first; resolved ones last. */
export function orderNotices(notices: readonly Notice[]): Notice[] {
  return [...notices].sort(
    (a, b) =>
      Number(a.kind === 'resolved') - Number(b.kind === 'resolved') ||
      Number(a.offRoute) - Number(b.offRoute) ||
      statusRank[b.status] - statusRank[a.status] ||
      a.key.localeCompare(b.key),
  );
}

function label(notice: Notice): string {
  return notice.kind === 'resolved' ? 'RESOLVED' : notice.topic ? 'USAGE' : notice.status.toUpperCase();
}

/** `anthropic:oauth`, or `anthropic:oauth 5h window` for a usage item. */
const subjectName = (notice: Notice) => (notice.topic ? `${notice.profile} ${notice.topic}` : notice.profile);

/** `[authwatch] EXPIRED anthropic:default on gateway-1 (+1 expiring)`; `reminder: …` when every notice is one. */
export function subjectOf(batch: AlertBatch): string {
  if (batch.about) return `[authwatch] ${batch.about.subject}`;
  const [first, ...rest] = orderNotices(batch.notices);
  if (!first) return `[authwatch] nothing to report on ${batch.host}`;
  const counts = new Map<string, number>();
  for (const notice of rest) counts.set(label(notice).toLowerCase(), (counts.get(label(notice).toLowerCase()) ?? 0) + 1);
  const more = [...counts].map(([what, count]) => `+${count} ${what}`).join(', ');
  const reminder = batch.notices.every((notice) => notice.kind === 'reminder') ? 'reminder: ' : '';
  const gateway = first.gateway ? ` (gateway ${first.gateway})` : '';
  return `[authwatch] ${reminder}${label(first)} ${subjectName(first)}${gateway} on ${batch.host}${more ? ` (${more})` : ''}`;
}

function utcTime(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** `, agent main`, or `, agents main, work` for the same fact told of several. */
function agentsOf(notice: Notice): string {
  const agents = (notice.group ?? []).map((member) => member.agent).filter((agent) => agent !== null);
  if (agents.length > 1) return `, agents ${agents.join(', ')}`;
  return notice.agent ? `, agent ${notice.agent}` : '';
}

/** `EXPIRING: anthropic:default (anthropic)`, then why it is told again (never the status twice). */
function headline(notice: Notice): string {
  const why = { new: '', escalation: ' — got worse', reminder: ' — reminder', resolved: notice.topic ? '' : ' — ok again', firing: '' }[notice.kind];
  return `${label(notice)}: ${subjectName(notice)} (${notice.provider}${agentsOf(notice)}${notice.gateway ? `, gateway ${notice.gateway}` : ''})${why}`;
}

/**
 * The detail without what the block says on its own lines already: the expiry phrase
 * (`expires in 19h`) and the fix (a missing provider's detail ends in `fix: …`).
 */
function remainingDetail(notice: Notice, phrase: string | null): string {
  let detail = notice.detail;
  if (phrase !== null && (detail === phrase || detail.startsWith(`${phrase}; `))) detail = detail.slice(phrase.length + 2);
  if (notice.fix) detail = detail.replace(`; fix: ${notice.fix}`, '').replace(`fix: ${notice.fix}`, '');
  return detail;
}

/** The lines of one profile's block, shared by the text and HTML bodies. */
function blockLines(notice: Notice): string[] {
  const lines = [headline(notice)];
  const phrase = notice.expiresAt !== null && notice.remainingMs !== null ? expiryPhrase(notice.remainingMs) : null;
  if (notice.expiresAt !== null) {
    // The local time, and UTC for readers elsewhere; once when they are the same.
    const local = formatLocalTime(notice.expiresAt);
    const utc = utcTime(notice.expiresAt);
    lines.push(`${phrase ?? 'expires'}: ${local.endsWith(' +00:00') ? utc : `${local} (${utc})`}`);
  }
  const detail = remainingDetail(notice, phrase);
  if (detail) lines.push(detail);
  // A required provider with nothing found has no source; its detail says what requires it.
  if (notice.path !== null || notice.source !== sourceNames.required) lines.push(`source: ${notice.path ?? notice.source}`);
  if (notice.kind !== 'resolved' && notice.fix) lines.push(`fix: ${notice.fix}`);
  return lines;
}

/** `run \`claude\`` → HTML with <code> for the commands, escaped; a backtick never shows as itself. */
function htmlLine(line: string): string {
  return line
    .split('`')
    .map((piece, index) => (index % 2 === 1 ? `<code>${escapeHtml(piece)}</code>` : escapeHtml(piece)))
    .join('');
}

export function textOf(batch: AlertBatch): string {
  if (batch.about) return `${batch.about.text} (${batch.host}, ${utcTime(batch.now)})\n`;
  const blocks = orderNotices(batch.notices).map((notice) => blockLines(notice).join('\n'));
  return `authwatch on ${batch.host}, ${utcTime(batch.now)}\n\n${blocks.join('\n\n')}\n\nRun \`authwatch check\` on ${batch.host} for the full picture.\n`;
}


/** The same content as `textOf`, as plain HTML without links or images: it reads well on a phone. */
export function htmlOf(batch: AlertBatch): string {
  const paragraphs = batch.about
    ? [`<p>${htmlLine(textOf(batch).trim())}</p>`]
    : [
        `<p>authwatch on <b>${escapeHtml(batch.host)}</b>, ${escapeHtml(utcTime(batch.now))}</p>`,
        ...orderNotices(batch.notices).map((notice) => {
          const [first, ...rest] = blockLines(notice);
          return `<p><b>${htmlLine(first!)}</b><br>${rest.map(htmlLine).join('<br>')}</p>`;
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
