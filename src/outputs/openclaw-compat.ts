import type { Evaluation } from '../evaluate/evaluate.js';
import type { Report } from '../evaluate/report.js';
import { sourceNames } from '../sources/source-names.js';

// The output shapes of OpenClaw's old `claude-auth-status.sh` (json and simple modes), for
// phone widgets and scripts that parse them — without its false alarms for setup-token-only
// and env-key-only installs, and aware of refreshable logins.

const HOUR = 3_600_000;
const MINUTE = 60_000;

/** The old script's classifier of an expiry (epoch ms): MISSING, EXPIRED, EXPIRING:<m>m under an hour, OK:<h>h<m>m. */
export function classifyExpiry(expiresAt: number, now: number): string {
  if (!Number.isInteger(expiresAt) || expiresAt <= 0) return 'MISSING';
  const left = expiresAt - now;
  if (left <= 0) return 'EXPIRED';
  if (left < HOUR) return `EXPIRING:${Math.floor(left / MINUTE)}m`;
  return `OK:${Math.floor(left / HOUR)}h${Math.floor((left % HOUR) / MINUTE)}m`;
}

interface Verdict {
  status: string;
  expires_at_ms: number;
}

const usable = (e: Evaluation) => e.profile.problem === null && e.profile.secret !== 'absent' && e.profile.verdict === null;

/** One of the two verdicts from a set of anthropic credentials, best first. */
function verdictOf(candidates: readonly Evaluation[], now: number): Verdict {
  if (candidates.some((e) => e.profile.verdict?.status === 'expired')) return { status: 'EXPIRED', expires_at_ms: 0 };
  const live = candidates.filter(usable);
  if (live.length === 0) return { status: 'MISSING', expires_at_ms: 0 };
  if (live.some((e) => e.profile.refreshable)) {
    const latest = Math.max(0, ...live.filter((e) => e.profile.refreshable).map((e) => e.expiresAt ?? 0));
    return { status: 'OK:refreshable', expires_at_ms: latest };
  }
  const expiring = live.filter((e) => e.expiresAt !== null);
  if (expiring.length < live.length) return { status: 'OK:static', expires_at_ms: 0 };
  const latest = Math.max(...expiring.map((e) => e.expiresAt!));
  return { status: classifyExpiry(latest, now), expires_at_ms: latest };
}

/**
 * "OpenClaw": OpenClaw's anthropic profiles and an anthropic key in the environment (the old
 * script ignored the latter and read MISSING on env-key-only installs). "Claude Code": the
 * Claude Code CLI login when there is one, else the same as "OpenClaw" (the old script read
 * MISSING on setup-token-only installs).
 */
export function openclawCompat(report: Report) {
  const anthropic = report.evaluations.filter((e) => e.profile.provider === 'anthropic');
  const cli = anthropic.filter((e) => e.profile.source === sourceNames.claudeCode);
  const store = anthropic.filter((e) => (e.profile.source === sourceNames.openclawStore || e.profile.source === sourceNames.openclawDb) && e.profile.type !== null);
  const env = anthropic.filter((e) => e.profile.source === sourceNames.env);
  const openclaw = verdictOf([...store, ...env], report.checkedAt);
  // Without a Claude Code login the gateway runs on OpenClaw's own credentials: judge those.
  const claudeCode = cli.length > 0 ? verdictOf(cli, report.checkedAt) : openclaw;
  const bad = (v: Verdict) => /^(EXPIRED|EXPIRING|MISSING)/.test(v.status);
  return { claude_code: claudeCode, openclaw, needs_reauth: bad(claudeCode) || bad(openclaw) };
}

/** `--format openclaw-json`: the old script's json mode (which always exited 0). */
export function renderOpenclawJson(report: Report): string {
  return `${JSON.stringify(openclawCompat(report))}\n`;
}

/** `--format openclaw-simple`: one token, first match wins, with the old exit codes. */
export function openclawSimple(report: Report): { token: string; exitCode: 0 | 1 | 2 } {
  const { claude_code: claude, openclaw } = openclawCompat(report);
  if (/^(EXPIRED|MISSING)/.test(claude.status)) return { token: 'CLAUDE_EXPIRED', exitCode: 1 };
  if (/^(EXPIRED|MISSING)/.test(openclaw.status)) return { token: 'OPENCLAW_EXPIRED', exitCode: 1 };
  if (claude.status.startsWith('EXPIRING')) return { token: 'CLAUDE_EXPIRING', exitCode: 2 };
  if (openclaw.status.startsWith('EXPIRING')) return { token: 'OPENCLAW_EXPIRING', exitCode: 2 };
  return { token: 'OK', exitCode: 0 };
}
