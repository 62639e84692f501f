import { describeRoute, type Route } from '../evaluate/routes.js';

/** `anthropic`, or `work/anthropic` when several agents each have routes. */
const routeName = (route: Route, agents: boolean) => (agents && route.agent !== null ? `${route.agent}/${route.provider}` : route.provider);

/** One line per provider in use, ahead of the profile table: `anthropic  on fallback anthropic:default (…)`. */
export function renderProvidersTable(routes: readonly Route[]): string {
  if (routes.length === 0) return '';
  const agents = new Set(routes.map((route) => route.agent)).size > 1;
  const width = Math.max(...routes.map((route) => routeName(route, agents).length));
  return `${routes.map((route) => `${routeName(route, agents).padEnd(width)}  ${describeRoute(route)}`).join('\n')}\n\n`;
}
