import type { Evaluation } from './evaluate.js';
import { openWindows } from './live.js';
import type { Money, QuotaWindow } from './live-fact.js';
import { paceWarning, whenText } from './pace.js';
import { balanceFindings } from './balance.js';

// What a usage window (and the money a credential spends) is worth telling, as separate alert
// items next to the profile's own: each is an *episode* (a window, named by its reset time)
// at a *level* (the highest threshold crossed). The alert memory tells an episode once per
// level and a notice when it ends (the window reset). Pure: the clock is a parameter.

export interface UsageSignal {
  /** The alert item: `usage\0<profile key>\0<topic key>`, never a profile key. */
  key: string;
  evaluation: Evaluation;
  /** What it is about, as alerts name it: `5h window`, `7d pace`. */
  topic: string;
  /** What identifies the episode: the window's reset time (epoch ms), or `open` when the provider gives none. */
  episode: string;
  /** Higher is worse: the threshold crossed (percent); 1 for a pace warning or a low balance, 2 for an exhausted one. */
  level: number;
  detail: string;
  /** What to do, where there is something (a balance: where to top up). */
  fix?: string;
}

/** The signals of one run, and what tells when an episode told before is over. */
export interface UsageView {
  signals: UsageSignal[];
  /**
   * Whether the episode `told` (its fingerprint) of alert item `key` is over, and in which
   * words; `null` while it may still run (no conclusive answer since, or the same window).
   */
  ended(key: string, told: string | null): string | null;
  /** Whether this run has a threshold item for window `window` of the row alerts know as `profileKey`. */
  tellsWindow(profileKey: string, window: string): boolean;
}

const prefix = 'usage\u0000';
const percent = (ratio: number) => `${Math.round(ratio * 100)} %`;
const money = (value: number, unit: string) => `${value.toFixed(2)} ${unit}`;

export const isUsageKey = (key: string) => key.startsWith(prefix);
/** The profile key a usage item belongs to. */
export const usageProfileKey = (key: string) => key.slice(prefix.length, key.lastIndexOf('\u0000'));

const kinds = { quota: 'window', pace: 'pace', money: 'spending', balance: 'balance' } as const;
type ItemKind = keyof typeof kinds;
const itemKey = (profileKey: string, kind: ItemKind, name: string) => `${prefix}${profileKey}\u0000${kind}:${name}`;
/** What a usage item is about, as alerts name it: `5h window`, `7d pace`. */
export function usageTopic(key: string): string {
  const [kind, ...name] = key.slice(key.lastIndexOf('\u0000') + 1).split(':');
  const what = kinds[kind as ItemKind] ?? kind;
  // DeepSeek's money is called `balance`: `balance`, not `balance balance`.
  return name.join(':') === what ? what : `${name.join(':')} ${what}`;
}
const windowNameOf = (key: string) => key.slice(key.lastIndexOf('\u0000') + 1).split(':').slice(1).join(':');

/** The fingerprint kept for an item told: its episode and level. */
export const usageMark = (signal: Pick<UsageSignal, 'episode' | 'level'>) => `${signal.episode}|${signal.level}`;
function readMark(told: string | null): { episode: string; level: number } | null {
  const at = told?.lastIndexOf('|') ?? -1;
  if (told === null || at < 0) return null;
  const level = Number(told.slice(at + 1));
  return Number.isFinite(level) ? { episode: told.slice(0, at), level } : null;
}
/**
 * Two reset times name the same window when they are this close: a provider may report the
 * same reset a little differently from one answer to the next (rounding, fractions of a
 * second); a window that did reset moves it by its whole length (5 h at least).
 */
const sameResetMs = 15 * 60_000;
function sameEpisode(a: string, b: string): boolean {
  if (a === b) return true;
  const [x, y] = [Number(a), Number(b)];
  return Number.isFinite(x) && Number.isFinite(y) && Math.abs(x - y) < sameResetMs;
}

/** Whether item `key`'s episode told as `told` is the same as `signal`'s, at a level at least as high: nothing new to tell. */
export function alreadyTold(signal: UsageSignal, told: string | null): 'same' | 'higher' | 'new' {
  const mark = readMark(told);
  if (!mark || !sameEpisode(mark.episode, signal.episode)) return 'new';
  return signal.level > mark.level ? 'higher' : 'same';
}

const episodeOf = (window: QuotaWindow) => (window.resetsAt === null ? 'open' : String(window.resetsAt));

/** The highest threshold (percent) `utilization` has reached, or `null`. Tenths of a percent: 0.9 is 90 % despite floating point. */
function thresholdReached(utilization: number, thresholds: readonly number[]): number | null {
  const used = Math.round(utilization * 1000) / 10;
  const reached = thresholds.filter((threshold) => used >= threshold);
  return reached.length === 0 ? null : Math.max(...reached);
}

interface Item {
  profileKey: string;
  evaluation: Evaluation;
  window: QuotaWindow;
}

/**
 * The usage signals of the rows alerts are about (`profileKey` names a row as the alert memory
 * does): for each open window of a credential that works, the highest threshold it reached
 * and, when its pace says it runs out before its reset, a pace warning.
 */
export function usageView(
  rows: readonly Evaluation[],
  profileKey: (e: Evaluation) => string,
  thresholds: readonly number[],
  now: number,
  lowBalance: (provider: string) => number | undefined = () => undefined,
): UsageView {
  const signals: UsageSignal[] = [];
  /** The windows seen by a conclusive check this run, by profile key: what ends an open episode. */
  const seen = new Map<string, Map<string, QuotaWindow>>();
  /** The money seen by a conclusive check this run, by profile key. */
  const spending = new Map<string, readonly Money[]>();
  const items: Item[] = [];
  for (const evaluation of rows) {
    const fact = evaluation.live;
    if (!fact || fact.verdict !== 'works' || evaluation.profile.source === 'route') continue;
    const key = profileKey(evaluation);
    const windows = openWindows(fact, now);
    seen.set(key, new Map(windows.map((window) => [window.name, window])));
    spending.set(key, fact.money ?? []);
    // Claude's extra usage is billed money: told once when it starts being spent (and when it
    // is back to 0, a new month); nearing its monthly limit is its window's thresholds.
    const extra = fact.money?.find((m) => m.name === 'extra usage');
    if (extra?.spent && extra.spent > 0) {
      const of = extra.limit === null ? '' : ` of ${money(extra.limit, extra.unit)}`;
      signals.push({ key: itemKey(key, 'money', extra.name), evaluation, topic: 'extra usage spending', episode: 'open', level: 1, detail: `extra usage is being billed: ${money(extra.spent, extra.unit)}${of} this month (subscription traffic beyond the plan)` });
    }
    for (const { money: m, level } of balanceFindings(fact, now, lowBalance(evaluation.profile.provider))) {
      const full = windows.filter((window) => window.model === undefined && window.utilization >= 1 && window.resetsAt !== null).map((window) => window.resetsAt!);
      const until = full.length === 0 ? '' : ` until ${whenText(Math.min(...full), now)}`;
      const detail =
        level === 'exhausted'
          ? `no ${m.name} left and a subscription window is used up: nothing serves${until}`
          : `${m.name} ${money(m.left!, m.unit)} left, under the ${money(lowBalance(evaluation.profile.provider)!, m.unit)} low-balance mark`;
      signals.push({ key: itemKey(key, 'balance', m.name), evaluation, topic: usageTopic(itemKey(key, 'balance', m.name)), episode: 'open', level: level === 'exhausted' ? 2 : 1, detail, ...(fact.topUp ? { fix: fact.topUp } : {}) });
    }
    for (const window of windows) items.push({ profileKey: key, evaluation, window });
  }
  for (const { profileKey: key, evaluation, window } of items) {
    const level = thresholdReached(window.utilization, thresholds);
    const reset = window.resetsAt === null ? '' : `, resets ${whenText(window.resetsAt, now)}`;
    const pace = paceWarning(window, now);
    if (level !== null) {
      signals.push({
        key: itemKey(key, 'quota', window.name),
        evaluation,
        topic: `${window.name} window`,
        episode: episodeOf(window),
        level,
        detail: `${window.name} window ${percent(window.utilization)} used (past the ${level} % threshold)${reset}${pace ? `; ${pace}` : ''}`,
      });
    }
    if (pace) signals.push({ key: itemKey(key, 'pace', window.name), evaluation, topic: `${window.name} pace`, episode: episodeOf(window), level: 1, detail: `${pace} (${percent(window.utilization)} used${reset})` });
  }
  const current = new Set(signals.map((signal) => signal.key));
  return {
    signals,
    tellsWindow: (profileKey, window) => current.has(itemKey(profileKey, 'quota', window)),
    ended(key, told) {
      const mark = readMark(told);
      const name = windowNameOf(key);
      if (key.slice(key.lastIndexOf('\u0000') + 1).startsWith('balance:')) {
        const reported = spending.get(usageProfileKey(key));
        if (!reported || current.has(key)) return null;
        const entry = reported.find((m) => m.name === name);
        if (!entry) return `${name} no longer reported`;
        if (entry.exhausted) return `a usage window has room again: it serves from its plan (still no ${name})`;
        return entry.left === null ? `${name} no longer limited` : `${name} back to ${money(entry.left, entry.unit)}`;
      }
      if (key.slice(key.lastIndexOf('\u0000') + 1).startsWith('money:')) {
        const reported = spending.get(usageProfileKey(key));
        if (!reported || current.has(key)) return null;
        const entry = reported.find((m) => m.name === name);
        return entry ? `${name} back to ${money(entry.spent ?? 0, entry.unit)} (a new month)` : `${name} no longer reported (turned off)`;
      }
      const windows = seen.get(usageProfileKey(key));
      const window = windows?.get(name);
      if (window && mark && sameEpisode(episodeOf(window), mark.episode)) {
        // The same window: over only when it has no reset time and is below every threshold
        // again — a pace that eases within its window is not told twice.
        return mark.episode === 'open' && !current.has(key) ? `${name} back to ${percent(window.utilization)} used` : null;
      }
      const resetAt = mark && mark.episode !== 'open' ? Number(mark.episode) : null;
      if (resetAt !== null && Number.isFinite(resetAt) && resetAt <= now) return `${name} window reset${window ? ` (now ${percent(window.utilization)} used)` : ''}`;
      // No conclusive answer this run (inconclusive, not asked): the episode may still run.
      if (!windows) return null;
      if (!window) return `${name} window no longer reported`;
      return `${name} window reset (now ${percent(window.utilization)} used)`;
    },
  };
}
