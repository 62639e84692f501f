import { formatLocalTime } from '../core/duration.js';
import { isValidTimeMs, maxEpochMs } from '../core/iso-time.js';
import type { UsageFacts } from '../sources/source.js';

// Whether a credential is in a window (cooldown, disabled, blocked): one rule, OpenClaw
// 2026.9.6's (dist/usage-state-*.mjs), for a profile's row and for the route that tries it.
// Pure: its usageStats entry and `now` in.

export interface Window {
  kind: 'cooldown' | 'disabled' | 'blocked';
  reason: string | null;
  /** The model a model-scoped window applies to. */
  model: string | null;
  until: number;
  /** When the gateway recorded the failure that opened or last extended it (usageStats `lastFailureAt`); `null`: undated. */
  since: number | null;
}

const modelScoped = new Set(['rate_limit', 'timeout', 'model_not_found']);
/** OpenClaw never cools these down (`isAuthCooldownBypassedForProvider`): their stats open no window. */
const neverCooledDown = new Set(['openrouter', 'kilocode']);

// OpenClaw's `asDateTimestampMs`: a time out of the Date range is no window at all.
const active = (until: number | undefined, now: number): until is number => isValidTimeMs(until) && now < until;

/**
 * The window that keeps a credential from `model` (OpenClaw's `isProfileInCooldown` +
 * `resolveProfileUnusableUntil`), `null` when none does. `model`: `undefined` asks for any model
 * (what `models status` shows, `resolveProfileUnusableUntilForDisplay`), `null` for no model in
 * particular (model-scoped windows then keep nothing out).
 */
export function windowOf(provider: string, usage: UsageFacts | null, now: number, model?: string | null): Window | null {
  if (!usage || neverCooledDown.has(provider.toLowerCase())) return null;
  const scopedAway = (scope: boolean, windowModel: string | undefined) => model !== undefined && scope && Boolean(windowModel) && (model === null || windowModel !== model);
  const blocked = active(usage.blockedUntil, now) && !scopedAway(usage.blockedScope === 'model', usage.blockedModel);
  const cooldownModel = modelScoped.has(usage.cooldownReason ?? '');
  const cooldown = active(usage.cooldownUntil, now) && !scopedAway(cooldownModel, usage.cooldownModel);
  const disabled = active(usage.disabledUntil, now);
  const until = Math.max(blocked ? usage.blockedUntil! : 0, cooldown ? usage.cooldownUntil! : 0, disabled ? usage.disabledUntil! : 0);
  if (until <= 0) return null;
  const since = usage.lastFailureAt ?? null;
  if (disabled) return { kind: 'disabled', reason: usage.disabledReason ?? null, model: null, until, since };
  if (blocked) return { kind: 'blocked', reason: usage.blockedReason ?? null, model: usage.blockedScope === 'model' ? (usage.blockedModel ?? null) : null, until, since };
  return { kind: 'cooldown', reason: usage.cooldownReason ?? null, model: cooldownModel ? (usage.cooldownModel ?? null) : null, until, since };
}

/**
 * A row's words for its window, as OpenClaw's `models status` counts it (any model):
 * `in cooldown until 05:00 (rate_limit)`, `disabled until 18:40 (billing)`. A time past the
 * Date range, which OpenClaw ignores, is said to be ignored.
 */
export function windowNotes(provider: string, usage: UsageFacts | null, now: number): string[] {
  if (!usage) return [];
  const notes: string[] = [];
  const window = windowOf(provider, usage, now);
  if (window) {
    const what = window.kind === 'cooldown' ? 'in cooldown' : window.kind;
    const scope = window.model ? ` for ${window.model}` : '';
    notes.push(`${what} until ${formatLocalTime(window.until)}${scope}${window.reason ? ` (${window.reason.slice(0, 40)})` : ''}`);
  }
  for (const field of ['cooldownUntil', 'disabledUntil', 'blockedUntil'] as const) {
    const until = usage[field];
    if (until !== undefined && until > maxEpochMs) notes.push(`usageStats ${field} ${until} is not a valid time: OpenClaw ignores it`);
  }
  return notes;
}
