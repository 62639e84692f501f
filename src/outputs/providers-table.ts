import { wrap } from '../core/wrap.js';
import { describeRoute, type Route } from '../evaluate/routes.js';
import { routeFix } from '../evaluate/fix.js';
import { describeMissing, modelFix } from '../evaluate/route-models.js';

/** `anthropic`, or `work/anthropic` when several agents each have routes. */
const routeName = (route: Route, agents: boolean) => (agents && route.agent !== null ? `${route.agent}/${route.provider}` : route.provider);

/**
 * One line per provider in use, ahead of the profile table: `anthropic  on fallback
 * anthropic:default (…)`, then a blank line; no lines without routes. On a terminal narrower
 * than a line (`width`), the route's words go under its name, indented and wrapped, as the
 * profile table does with its detail.
 */
export function providersTableLines(routes: readonly Route[], width?: number, now = Date.now()): string[] {
  if (routes.length === 0) return [];
  const agents = new Set(routes.map((route) => route.agent)).size > 1;
  const nameWidth = Math.max(...routes.map((route) => routeName(route, agents).length));
  const lines = routes.flatMap((route) => {
    const fix = routeFix(route);
    const missing = route.models.filter((m) => m.check?.verdict === 'missing').map((m) => `; ${describeMissing(route, m, now)}, fix: ${modelFix(route, m)}`);
    const words = (fix === null ? describeRoute(route) : `${describeRoute(route)}; fix: ${fix}`) + missing.join('');
    const line = `${routeName(route, agents).padEnd(nameWidth)}  ${words}`;
    if (width === undefined || line.length <= width) return [line];
    return [routeName(route, agents), ...wrap(words, width - indent.length).map((part) => indent + part)];
  });
  lines.push('');
  return lines;
}

const indent = '    ';
