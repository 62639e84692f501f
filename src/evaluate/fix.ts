import { formatLocalTime } from '../core/duration.js';
import type { Evaluation } from './evaluate.js';
import { remediation } from './remediation.js';
import type { Route, RouteWindow } from './routes.js';

// The one command (or step) that makes a row or a route ok again: what the table, `--json`,
// `/status` and every alert say next to anything that is not ok. Pure.

/** What a row's words already name as the fix: `fix: …` to their end. */
function statedFix(text: string): string | null {
  return /(?:^|; |\. )fix: (.+)$/.exec(text)?.[1] ?? null;
}

/** What a problem or a source's verdict says to run: its `fix: …`, else its first `run \`…\``. */
function fixInReason(reason: string): string | null {
  const run = /\brun (`[^`]+`)/.exec(reason);
  return statedFix(reason) ?? (run ? `run ${run[1]}` : null);
}

/** `openclaw models auth …` for the agent whose store holds the profile (OpenClaw's default agent is `main`). */
function forAgent(fix: string, agent: string | null): string {
  return agent === null || agent === 'main' ? fix : fix.replaceAll('openclaw models auth ', `openclaw models auth --agent ${agent} `);
}

/** The fix of a row that is not ok; `null` for an ok row. */
export function fixFor(e: Evaluation): string | null {
  if (e.status === 'ok') return null;
  const { profile } = e;
  if (profile.problem !== null) {
    return fixInReason(profile.problem) ?? (profile.path === null ? 'make the source readable (the detail says why), then check again' : `repair or remove ${profile.path} (the detail says what is wrong), then check again`);
  }
  if (profile.provider === '(any)') return 'set up a provider: `openclaw onboard`, or `openclaw models auth login --provider <id>`; or point authwatch at the gateway\'s files (OPENCLAW_STATE_DIR, --openclaw-profile)';
  if (e.live?.verdict === 'no-credit') return e.live.topUp ?? 'add credit in the provider console';
  if (e.live?.verdict === 'works' && /out of quota|window \d+ %/.test(e.detail)) {
    return `nothing to renew: the quota window resets by itself; to bridge it, add another ${profile.provider} credential to the gateway's order`;
  }
  const stated = statedFix(e.detail) ?? (profile.verdict === null ? null : fixInReason(profile.verdict.reason));
  return forAgent(stated ?? remediation(profile.provider, profile.id, profile.type, profile.source), profile.agent);
}

/**
 * A credential the provider says works while the gateway skips it: wait, or order the
 * credentials the gateway can use first (OpenClaw's own `models auth order set`; authwatch never
 * writes OpenClaw's state). The skipped one stays in the order, tried again once its window ends.
 */
export function skippedFix(route: Route, u: RouteWindow): string {
  const wait = `wait: OpenClaw tries ${u.profile} again after ${formatLocalTime(u.until)} (a gateway restart does not clear the stored window)`;
  const selectable = route.steps.filter((s) => s.selectable).map((s) => s.evaluation.profile.id);
  if (selectable.length === 0) return `${wait}; to serve meanwhile, add another ${route.provider} credential`;
  const waiting = route.steps.filter((s) => !s.selectable && s.ineligible === null).map((s) => s.evaluation.profile.id);
  const agent = route.agent === null ? '' : ` --agent ${route.agent}`;
  return `${wait}; or put the credentials it can use first: \`openclaw models auth order set --provider ${route.provider}${agent} ${[...selectable, ...waiting].join(' ')}\``;
}

const skippedWindow = (route: Route) => route.windows.find((u) => u.evidence?.verdict === 'works');

function windowFix(route: Route, u: RouteWindow, steps: Route['steps']): string {
  if (u.evidence?.verdict === 'works') return skippedFix(route, u);
  const step = steps.find((s) => s.evaluation.profile.id === u.profile);
  if (u.kind !== 'cooldown' && (u.reason === 'auth' || u.reason === 'auth_permanent') && step) {
    return forAgent(remediation(route.provider, u.profile, step.evaluation.profile.type), route.agent);
  }
  if (u.reason === 'billing') return `add credit or fix billing for ${route.provider}; OpenClaw tries ${u.profile} again after ${formatLocalTime(u.until)}`;
  return `none needed: ${u.profile} is tried again after ${formatLocalTime(u.until)}`;
}

/** The fix of a route that is not ok; `null` for one that serves without trouble. */
export function routeFix(route: Route): string | null {
  if (route.status === 'ok' && route.verdict === 'serving') return null;
  const stepFix = (id: string | undefined) => {
    const step = route.steps.find((s) => s.evaluation.profile.id === id);
    return step ? fixFor(step.evaluation) : null;
  };
  switch (route.verdict) {
    case 'serving':
      return stepFix(route.serving?.id) ?? forAgent(remediation(route.provider), route.agent);
    case 'on-fallback': {
      const from = route.fallbackFrom!;
      return from.window ? windowFix(route, from.window, route.steps) : (stepFix(from.profile) ?? forAgent(remediation(route.provider), route.agent));
    }
    case 'unavailable': {
      const skipped = skippedWindow(route);
      if (skipped) return skippedFix(route, skipped);
      if (route.recoversAt !== null) return `none needed: it recovers by itself at ${formatLocalTime(route.recoversAt)}; to serve sooner, add another ${route.provider} credential`;
      const needsLogin = route.steps.find((s) => s.evaluation.status !== 'ok' || s.ineligible !== null);
      return (needsLogin && fixFor({ ...needsLogin.evaluation, status: needsLogin.evaluation.status === 'ok' ? 'missing' : needsLogin.evaluation.status })) ?? forAgent(remediation(route.provider), route.agent);
    }
  }
}
