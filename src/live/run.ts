import { fingerprint } from '../core/fingerprint.js';
import { httpAsk, retryAfterMs } from '../core/http-send.js';
import type { Logger } from '../core/log.js';
import { registerConfiguredUrl, registerSecret } from '../core/scrub.js';
import type { LiveFact } from '../evaluate/live.js';
import type { ModelFact, ModelTarget } from '../evaluate/route-models.js';
import type { HandedSecret, Profile, SecretHandOver } from '../sources/source.js';
import { checkerFor } from './index.js';
import { openrouter, openrouterCredits } from './providers/openrouter.js';
import { classifyCommon, cleanMessage, saysDead, type LiveAnswer, type LiveChecker, type LiveRequest, type ModelLookup, type Observation } from './provider.js';
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
   * are on for.
   */
  run(profiles: readonly Profile[]): Promise<Map<Profile, LiveFact>>;
  /**
   * Looks up each model with the credential that serves its route (issue 30 §4), under the same
   * interval, claims, concurrency and run deadline; a fact per target live checks are on for.
   */
  models(targets: readonly ModelTarget[]): Promise<Map<ModelTarget, ModelFact>>;
  /** Drops the secrets: called when the check's live part is over, whatever happened. */
  end(): void;
}

/** One request to make: the credential's own check, or a model lookup with the same credential. */
interface Job {
  key: string;
  checker: LiveChecker;
  request: LiveRequest;
  readsBody: boolean;
  /** Reads the whole answer, `classifyCommon` included. */
  classify(answer: LiveAnswer & { cfMitigated: string | null }): Observation;
  intervalMs: number;
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

/**
 * A model lookup's kept result as a fact (the store keeps it as `works` = listed, `rejected` =
 * not found). An inconclusive answer after a "not found" keeps it missing: an alert is told
 * once, not resolved and told again each time the provider fails to answer.
 */
function modelFactOf(result: KeptResult, checkedWith: string): ModelFact {
  const { lastConclusiveAt, lastWorkedAt } = result;
  const missingLast = lastConclusiveAt !== null && (lastWorkedAt === null || lastConclusiveAt > lastWorkedAt);
  const verdict = result.verdict === 'works' ? 'exists' : result.verdict === 'rejected' || missingLast ? 'missing' : 'inconclusive';
  const message = result.verdict === 'inconclusive' && verdict === 'missing' ? `not found when last answered; the latest lookup was inconclusive: ${result.message}` : result.message;
  return { verdict, observedAt: result.observedAt, httpStatus: result.httpStatus, message, lastSeenAt: lastWorkedAt, checkedWith };
}

/**
 * What a credential check's answer means: the answers every provider gives alike, else the
 * checker's reading. A 200 that is not JSON (a proxy's or captive portal's page) says nothing
 * to a checker that reads the body: it would read as "works" with nothing in it.
 */
const credentialClassifier = (checker: LiveChecker, now: number): Job['classify'] => (answer) =>
  classifyCommon(answer) ??
  (checker.readsBody && answer.status === 200 && answer.body === undefined ? { verdict: 'inconclusive', message: 'a 200 answer that is not JSON, not the provider\'s' } : checker.classify(answer, now));

/** What a model lookup's answer means, in the store's verdicts; a refused credential says nothing about the model. */
function modelClassifier(lookup: ModelLookup, model: string): Job['classify'] {
  return (answer) => {
    const common = classifyCommon(answer);
    if (common) return common.verdict === 'rejected' ? { verdict: 'inconclusive', message: `the credential was refused (${answer.status}), so the model could not be looked up` } : common;
    const seen = lookup.classify(answer, model);
    return { verdict: seen.verdict === 'exists' ? 'works' : seen.verdict === 'missing' ? 'rejected' : 'inconclusive', message: seen.message };
  };
}

/** A live run: holds the handed-over secrets in this closure only, for the length of one check. `accountKey`: the OpenRouter management key, when configured. */
export function createLiveRun(settings: LiveSettings, deps: { stateDir: string; now: number; log: Logger; makeStateDir: (dir: string) => void; accountKey?: string | null }): LiveRun {
  const secrets = new Map<string, HandedSecret>();
  // One deadline for every live request of the check: the credentials' and the models'.
  let started: number | null = null;
  const clock = () => (started ??= Date.now());
  // A proxy's URL may carry a token in its path or userinfo, which a failed fetch or the proxy's error page would quote.
  for (const provider of Object.values(settings.providers)) if (provider.baseUrl) registerConfiguredUrl(provider.baseUrl);
  return {
    handOver(row, secret) {
      registerSecret(secret.value);
      registerSecret(secret.accountId);
      secrets.set(rowKey(row), secret);
    },
    run: (profiles) => runChecks(profiles, secrets, settings, { ...deps, started: clock() }),
    models: (targets) => runModelChecks(targets, secrets, settings, { ...deps, started: clock() }),
    end: () => secrets.clear(),
  };
}

type RunDeps = { stateDir: string; now: number; log: Logger; makeStateDir: (dir: string) => void; started: number; accountKey?: string | null };

/** Why a credential's secret is not at hand, when it is not. */
const noSecretWhy = (profile: Profile) => (profile.secret === 'reference' ? 'the secret is held by reference' : 'the secret was not handed over by its source');

/** A refreshable login's access token past its expiry proves nothing either way: the login renews it on its next use. */
const dueForRenewal = (profile: Profile, now: number) => profile.type === 'oauth' && profile.refreshable && profile.expiresAt !== null && profile.expiresAt <= now;
const renewalWhy = 'not checked: access token due for renewal (the login renews it on its next use)';

async function runModelChecks(targets: readonly ModelTarget[], secrets: ReadonlyMap<string, HandedSecret>, settings: LiveSettings, deps: RunDeps): Promise<Map<ModelTarget, ModelFact>> {
  const { now } = deps;
  const facts = new Map<ModelTarget, ModelFact>();
  const kept = loadResults(deps.stateDir);
  const jobs = new Map<string, Job>();
  const waiting: [ModelTarget, string][] = [];
  const notCheckable = (target: ModelTarget, message: string) => facts.set(target, { verdict: 'not-checkable', observedAt: now, httpStatus: null, message, lastSeenAt: null, checkedWith: target.profile.id });
  for (const target of targets) {
    const { profile, model } = target;
    if (profile.problem !== null || profile.secret === 'absent' || !liveOnFor(settings, profile)) continue;
    const checker = checkerFor(profile);
    const secret = secrets.get(rowKey(profile));
    if ('notCheckable' in checker) {
      notCheckable(target, checker.notCheckable);
      continue;
    }
    if (!checker.models) {
      notCheckable(target, `no zero-token model list known for ${profile.provider} ${profile.type ?? 'credentials'}`);
      continue;
    }
    const path = checker.models.path(model);
    if (path === null) {
      notCheckable(target, `${model} cannot be looked up by id at ${profile.provider}`);
      continue;
    }
    if (!secret) {
      notCheckable(target, noSecretWhy(profile));
      continue;
    }
    const key = `${checker.name}:${fingerprint(secret.value)}:${fingerprint(model)}`;
    const previous = kept[key];
    if (dueForRenewal(profile, now)) {
      facts.set(target, { verdict: 'inconclusive', observedAt: now, httpStatus: null, message: renewalWhy, lastSeenAt: previous?.lastWorkedAt ?? null, checkedWith: profile.id });
      continue;
    }
    const request = { path, headers: checker.request(secret).headers };
    if (!jobs.has(key) && (!previous || now >= previous.nextAt)) {
      jobs.set(key, { key, checker, request, readsBody: checker.models.readsBody, classify: modelClassifier(checker.models, model), intervalMs: settings.intervalMs, kept: previous, refreshable: profile.type === 'oauth' && profile.refreshable });
    }
    waiting.push([target, key]);
  }
  const results = await ask(jobs, kept, settings, deps);
  for (const [target, key] of waiting) {
    const result = results(key);
    facts.set(target, result ? modelFactOf(result, target.profile.id) : { verdict: 'inconclusive', observedAt: now, httpStatus: null, message: 'not checked: the run deadline passed', lastSeenAt: kept[key]?.lastWorkedAt ?? null, checkedWith: target.profile.id });
  }
  return facts;
}

async function runChecks(profiles: readonly Profile[], secrets: ReadonlyMap<string, HandedSecret>, settings: LiveSettings, deps: RunDeps): Promise<Map<Profile, LiveFact>> {
  const { stateDir, now } = deps;
  const facts = new Map<Profile, LiveFact>();
  const kept = loadResults(stateDir);
  const jobs = new Map<string, Job>();
  const waiting: [Profile, string, LiveChecker][] = [];
  for (const profile of profiles) {
    if (profile.problem !== null || profile.secret === 'absent' || !liveOnFor(settings, profile)) continue;
    const checker = checkerFor(profile);
    const secret = secrets.get(rowKey(profile));
    if ('notCheckable' in checker || !secret) {
      const why = 'notCheckable' in checker ? checker.notCheckable : noSecretWhy(profile);
      facts.set(profile, { verdict: 'not-checkable', observedAt: now, httpStatus: null, message: why, lastWorkedAt: null, lastConclusiveAt: now, windows: [], topUp: null });
      continue;
    }
    // One request per credential: profiles holding the same secret share it.
    const key = `${checker.name}:${fingerprint(secret.value)}`;
    const previous = kept[key];
    const refreshable = profile.type === 'oauth' && profile.refreshable;
    // Sending a stale access token would only earn "token expired".
    if (dueForRenewal(profile, now)) {
      facts.set(profile, notAsked(renewalWhy, previous, now));
      continue;
    }
    if (!jobs.has(key) && (!previous || now >= previous.nextAt)) {
      jobs.set(key, { key, checker, request: checker.request(secret), readsBody: checker.readsBody, classify: credentialClassifier(checker, now), intervalMs: checker.quota ? settings.quotaIntervalMs : settings.intervalMs, kept: previous, refreshable });
    }
    waiting.push([profile, key, checker]);
  }
  // The OpenRouter account's credit (a management key): asked only when some OpenRouter key is checked, on the quota interval.
  const { accountKey } = deps;
  const accountJob = accountKey && waiting.some(([, , checker]) => checker === openrouter) ? `${openrouterCredits.name}:${fingerprint(accountKey)}` : null;
  if (accountJob && (!kept[accountJob] || now >= kept[accountJob].nextAt)) {
    jobs.set(accountJob, { key: accountJob, checker: openrouterCredits, request: openrouterCredits.request({ value: accountKey! }), readsBody: true, classify: credentialClassifier(openrouterCredits, now), intervalMs: settings.quotaIntervalMs, kept: kept[accountJob], refreshable: false });
  }
  const results = await ask(jobs, kept, settings, deps);
  for (const [profile, key, checker] of waiting) {
    const result = results(key);
    facts.set(profile, result ? factOf(result, checker) : notAsked('not checked: the run deadline passed', kept[key], now));
  }
  const account = accountJob ? results(accountJob) : undefined;
  if (account?.verdict === 'works') {
    for (const [profile, fact] of facts) if (fact.verdict !== 'not-checkable' && checkerFor(profile) === openrouter) facts.set(profile, { ...fact, money: [...(fact.money ?? []), ...account.money] });
  }
  return facts;
}

/**
 * Asks what is due (claimed first, so overlapping runs ask once), at most `concurrency` at a
 * time, within the run's deadline; each answer kept as it arrives. Returns the result to show
 * per key: this run's, else what was kept.
 */
async function ask(jobs: ReadonlyMap<string, Job>, kept: KeptResults, settings: LiveSettings, { stateDir, now, log, makeStateDir, started }: RunDeps): Promise<(key: string) => KeptResult | undefined> {
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

  // Claimed by this run but not asked (the deadline passed): what was kept before the claim.
  return (key) => fresh[key] ?? (claimedHere.has(key) ? kept[key] : known[key]);
}

/** One request and its verdict, as it is kept. Never throws: a failure is an inconclusive verdict. */
async function checkOne(job: Job, settings: LiveSettings, timeoutMs: number, now: number): Promise<KeptResult> {
  const { checker, request, kept } = job;
  const base = settings.providers[checker.provider]?.baseUrl ?? checker.defaultBaseUrl;
  const url = new URL(base.replace(/\/+$/, '') + request.path);
  const answer = await httpAsk({ url, headers: request.headers, ...(request.body === undefined ? {} : { body: request.body }), timeoutMs, maxBytes: job.readsBody ? bodyCap : statusOnlyCap });
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
    else if (!answer.complete && job.readsBody && answer.status === 200) observation = { verdict: 'inconclusive', message: `answer larger than ${bodyCap / 1024} KiB, not read` };
    else observation = job.classify({ status: answer.status, body, cfMitigated: answer.cfMitigated });
    // A refreshable login's access token refused as expired (its stored expiry not yet passed:
    // clocks differ, or it was renewed just now) is due for renewal, not dead.
    const deadWords = job.checker.deadWords === undefined ? saysDead : job.checker.deadWords;
    if (job.refreshable && observation.verdict === 'rejected' && answer.status === 401 && !deadWords?.test(observation.message)) {
      observation = { verdict: 'inconclusive', message: `access token refused as due for renewal (401${observation.message ? `: ${observation.message}` : ''}); the login renews it on its next use` };
    }
  }
  const works = observation.verdict === 'works';
  const settled = observation.verdict !== 'inconclusive';
  const interval = job.intervalMs;
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


