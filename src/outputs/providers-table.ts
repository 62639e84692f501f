import { describeRoute, type Route } from '../evaluate/routes.js';

/** One line per provider in use, ahead of the profile table: `anthropic  on fallback anthropic:default (…)`. */
export function renderProvidersTable(routes: readonly Route[]): string {
  if (routes.length === 0) return '';
  const width = Math.max(...routes.map((route) => route.provider.length));
  return `${routes.map((route) => `${route.provider.padEnd(width)}  ${describeRoute(route)}`).join('\n')}\n\n`;
}
