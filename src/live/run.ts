import { fingerprint } from '../core/fingerprint.js';
import { httpGet, retryAfterMs } from '../core/http-send.js';
import type { Logger } from '../core/log.js';
import { registerConfiguredUrl, registerSecret } from '../core/scrub.js';
import type { LiveFact } from '../evaluate/live.js';
import type { HandedSecret, Profile, SecretHandOver } from '../sources/source.js';
import { checkerFor } from './index.js';
import { openrouter, openrouterCredits } from './providers/openrouter.js';
import { classifyCommon, cleanMessage, saysDead, type LiveChecker, type Observation } from './provider.js';
import { liveOnFor, type LiveSettings } from './settings.js';
import { claimSlots, keepResults, loadResults, type KeptResult, type KeptResults } from './store.js';

/** Checkers that read the body get this much of it; list endpoints need only the status. */
const bodyCap = 64 * 1024;
const statusOnlyCap = 4 * 1024;
/** A share of the interval taken off at random, so hosts started together do not ask together. */
const jitterShare = 0.1;

const rowKey = (row: Pick<Profile, 'source' | 'agent' | 'id'>) => `${row.source}\u0000${row.agent ?? ''}\u0000${row.id}`;

export interface LiveRun {
  /** Given to the sources (SourceContext.handOverSecret): the only way a secret gets in. */
  handOver: SecretHandOver;
  /**
   * Checks what is due, reuses what is kept, and returns a fact per profile that live checks
   * are on for. The secrets are dropped when it ends.
   */
  run(profiles: readonly Profile[]): Promise<Map<Profile, LiveFact>>;
}

interface Job {
  key: string;
  checker: LiveChecker;
  secret: HandedSecret;
  kept: KeptResult | undefined;
  /** An OAuth login with a refresh token: its access token expiring is routine, not death. */
  refreshable: boolean;
}

/** A kept result as a fact of this run (`nextAt` is the store's business). */
function factOf(result: KeptResult, checker: LiveChecker): LiveFact {
  return {
    verdict: result.verdict,
    observedAt: result.observedAt,
    httpStatus: result.httpStatus,
    message: result.message,
    lastWorkedAt: result.lastWorkedAt,
    lastConclusiveAt: result.lastConclusiveAt ?? result.firstCheckedAt,
    windows: result.windows,
    money: result.money,
    expiresAt: result.expiresAt,
    topUp: checker.topUp ?? null,
  };
}

/** Not asked, and why: nothing about the credential is learnt, so what was known stays. */
function notAsked(message: string, kept: KeptResult | undefined, now: number): LiveFact {
  return { verdict: 'inconclusive', observedAt: now, httpStatus: null, message, lastWorkedAt: kept?.lastWorkedAt ?? null, lastConclusiveAt: kept ? (kept.lastConclusiveAt ?? kept.firstCheckedAt) : now, windows: [], topUp: null };
}

/** A live run: holds the handed-over secrets in this closure only, for the length of one check. */
/** What a run needs besides its settings; `accountKey`: the OpenRouter management key, when configured. */
interface RunDeps {
  stateDir: string;
  now: number;
  log: Logger;
  makeStateDir: (dir: string) => void;
  accountKey?: string | null;
}

export function createLiveRun(settings: LiveSettings, deps: RunDeps): LiveRun {
  const secrets = new Map<string, HandedSecret>();
  // A proxy's URL may carry a token in its path or userinfo, which a failed fetch or the proxy's error page would quote.
  for (const provider of Object.values(settings.providers)) if (provider.baseUrl) registerConfiguredUrl(provider.baseUrl);
  return {
    handOver(row, secret) {
      registerSecret(secret.value);
      registerSecret(secret.accountId);
      secrets.set(rowKey(row), secret);
    },
    async run(profiles) {
      try {
        return await runChecks(profiles, secrets, settings, deps);
      } finally {
        secrets.clear();
      }
    },
  };
}

async function runChecks(
  profiles: readonly Profile[],
  secrets: ReadonlyMap<string, HandedSecret>,
  settings: LiveSettings,
  { stateDir, now, log, makeStateDir, accountKey }: RunDeps,
): Promise<Map<Profile, LiveFact>> {
  const facts = new Map<Profile, LiveFact>();
  const kept = loadResults(stateDir);
  const jobs = new Map<string, Job>();
  const waiting: [Profile, string, LiveChecker][] = [];
  for (const profile of profiles) {
    if (profile.problem !== null || profile.secret === 'absent' || !liveOnFor(settings, profile)) continue;
    const checker = checkerFor(profile);
    const secret = secrets.get(rowKey(profile));
    if ('notCheckable' in checker || !secret) {
      const why = 'notCheckable' in checker ? checker.notCheckable : profile.secret === 'reference' ? 'the secret is held by reference' : 'the secret was not handed over by its source';
      facts.set(profile, { verdict: 'not-checkable', observedAt: now, httpStatus: null, message: why, lastWorkedAt: null, lastConclusiveAt: now, windows: [], topUp: null });
      continue;
    }
    // One request per credential: profiles holding the same secret share it.
    const key = `${checker.name}:${fingerprint(secret.value)}`;
    const previous = kept[key];
    const refreshable = profile.type === 'oauth' && profile.refreshable;
    // A refreshable login's access token past its expiry proves nothing either way: the login
    // renews it on its next use. Sending it would only earn "token expired".
    if (refreshable && profile.expiresAt !== null && profile.expiresAt <= now) {
      facts.set(profile, notAsked('not checked: access token due for renewal (the login renews it on its next use)', previous, now));
      continue;
    }
    if (!jobs.has(key) && (!previous || now >= previous.nextAt)) jobs.set(key, { key, checker, secret, kept: previous, refreshable });
    waiting.push([profile, key, checker]);
  }

  // The OpenRouter account's credit (a management key): asked only when some OpenRouter key is checked, on the quota interval.
  const accountJob = accountKey && waiting.some(([, , checker]) => checker === openrouter) ? `${openrouterCredits.name}:${fingerprint(accountKey)}` : null;
  if (accountJob && (!kept[accountJob] || now >= kept[accountJob].nextAt)) jobs.set(accountJob, { key: accountJob, checker: openrouterCredits, secret: { value: accountKey! }, kept: kept[accountJob], refreshable: false });

  const fresh: KeptResults = {};
  let known: KeptResults = kept;
  let claimedHere = new Set<string>();
  if (jobs.size > 0) {
    makeStateDir(stateDir);
    // Overlapping runs (a timer, the daemon, a manual check) ask once: each due credential is
    // claimed in the store first, and only the run that claimed it asks.
    const claim = await claimSlots(stateDir, [...jobs.keys()], now, settings.runTimeoutMs);
    known = claim.results;
    claimedHere = claim.claimed;
    if (claim.heldBy) log.warn({ heldBy: claim.heldBy }, 'live checks: the live store stayed locked; nothing asked this run');
    const started = Date.now();
    const queue = [...jobs.values()].filter((job) => claimedHere.has(job.key));
    const worker = async () => {
      for (let job = queue.shift(); job; job = queue.shift()) {
        const left = settings.runTimeoutMs - (Date.now() - started);
        if (left <= 0) {
          log.warn({ checker: job.checker.name }, 'live check skipped: the run deadline passed');
          continue;
        }
        const result = await checkOne(job, settings, Math.min(settings.timeoutMs, left), now);
        log.debug({ checker: job.checker.name, credential: job.key.split(':')[1], verdict: result.verdict, httpStatus: result.httpStatus }, 'live check');
        fresh[job.key] = result;
        // Kept at once: a run killed later keeps what it learnt, so it is not asked again.
        await keepResults(stateDir, { [job.key]: result }, now);
      }
    };
    await Promise.all(Array.from({ length: Math.min(settings.concurrency, queue.length) }, worker));
  }

  for (const [profile, key, checker] of waiting) {
    // Claimed by this run but not asked (the deadline passed): what was kept before the claim.
    const result = fresh[key] ?? (claimedHere.has(key) ? kept[key] : known[key]);
    if (!result) {
      facts.set(profile, notAsked('not checked: the run deadline passed', kept[key], now));
      continue;
    }
    facts.set(profile, factOf(result, checker));
  }
  const account = accountJob ? (fresh[accountJob] ?? known[accountJob] ?? kept[accountJob]) : undefined;
  if (account?.verdict === 'works') {
    for (const [profile, fact] of facts) if (fact.verdict !== 'not-checkable' && checkerFor(profile) === openrouter) facts.set(profile, { ...fact, money: [...(fact.money ?? []), ...account.money] });
  }
  return facts;
}

/** One request and its verdict, as it is kept. Never throws: a failure is an inconclusive verdict. */
async function checkOne(job: Job, settings: LiveSettings, timeoutMs: number, now: number): Promise<KeptResult> {
  const { checker, secret, kept } = job;
  const request = checker.request(secret);
  const base = settings.providers[checker.provider]?.baseUrl ?? checker.defaultBaseUrl;
  const url = new URL(base.replace(/\/+$/, '') + request.path);
  const answer = await httpGet({ url, headers: request.headers, timeoutMs, maxBytes: checker.readsBody ? bodyCap : statusOnlyCap });
  let observation: Observation;
  let httpStatus: number | null = null;
  let waitAsked = 0;
  if (answer.kind === 'failed') observation = { verdict: 'inconclusive', message: `no answer: ${answer.message}` };
  else {
    httpStatus = answer.status;
    waitAsked = retryAfterMs(answer.retryAfter, now) ?? 0;
    let body: unknown;
    if (answer.complete) {
      try {
        body = JSON.parse(answer.text);
      } catch {
        body = undefined;
      }
    }
    if (answer.timedOut) observation = { verdict: 'inconclusive', message: `the answer did not come within ${timeoutMs / 1000}s` };
    else if (!answer.complete && checker.readsBody && answer.status === 200) observation = { verdict: 'inconclusive', message: `answer larger than ${bodyCap / 1024} KiB, not read` };
    else observation = classifyCommon({ status: answer.status, body, cfMitigated: answer.cfMitigated }) ?? checker.classify({ status: answer.status, body }, now);
    // A refreshable login's access token refused as expired (its stored expiry not yet passed:
    // clocks differ, or it was renewed just now) is due for renewal, not dead.
    if (job.refreshable && observation.verdict === 'rejected' && answer.status === 401 && !saysDead.test(observation.message)) {
      observation = { verdict: 'inconclusive', message: `access token refused as due for renewal (401${observation.message ? `: ${observation.message}` : ''}); the login renews it on its next use` };
    }
  }
  const works = observation.verdict === 'works';
  const settled = observation.verdict !== 'inconclusive';
  const interval = checker.quota ? settings.quotaIntervalMs : settings.intervalMs;
  // An inconclusive check is tried again sooner (never sooner than the provider asked).
  const wait = settled ? interval : Math.min(interval, settings.quotaIntervalMs);
  return {
    observedAt: now,
    verdict: observation.verdict,
    httpStatus,
    message: cleanMessage(observation.message),
    lastWorkedAt: works ? now : (kept?.lastWorkedAt ?? null),
    lastConclusiveAt: settled ? now : (kept?.lastConclusiveAt ?? null),
    firstCheckedAt: kept?.firstCheckedAt ?? now,
    windows: observation.windows ?? [],
    money: observation.money ?? [],
    expiresAt: observation.expiresAt ?? null,
    nextAt: now + Math.max(waitAsked, wait * (1 - Math.random() * jitterShare)),
  };
}


