/**
 * Each registry is the only list in src/, but a new entry must also reach the suites and docs
 * outside it (docs/development.md): a channel must be in the echo suite (a receiver that quotes
 * secrets back) and its docs, a heartbeat target in the secrets harness, a source, a format and a
 * live check in their docs. This fails when one is added to src/ alone.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { notifiers } from '../src/alerts/index.js';
import { heartbeatTargets } from '../src/alerts/heartbeat-targets.js';
import { checkers } from '../src/live/index.js';
import { formatNames } from '../src/outputs/formats.js';
import { sourceNames } from '../src/sources/source-names.js';

const text = (path: string) => readFileSync(new URL(`../${path}`, import.meta.url), 'utf8');
const missingFrom = (path: string, names: readonly string[], pattern: (name: string) => RegExp) => {
  const body = text(path);
  return names.filter((name) => !pattern(name).test(body)).map((name) => `${name} (not in ${path})`);
};
const quoted = (name: string) => new RegExp(`["'\`]${name}["'\`]`);

describe('every registry entry reaches the tests and docs outside src/', () => {
  it('channels: the echo suite (a receiver that quotes secrets back) and docs/alerts.md', () => {
    const channels = Object.keys(notifiers);
    expect([...missingFrom('test/alerts/echo.e2e.test.ts', channels, quoted), ...missingFrom('docs/alerts.md', channels, quoted)]).toEqual([]);
  });

  it('heartbeat targets: the secrets harness and docs/uptime.md', () => {
    const targets = Object.keys(heartbeatTargets);
    expect([...missingFrom('test/secrets.e2e.test.ts', targets, quoted), ...missingFrom('docs/uptime.md', targets, quoted)]).toEqual([]);
  });

  it('sources: docs/sources.md', () => {
    expect(missingFrom('docs/sources.md', Object.values(sourceNames), (name) => new RegExp(`\`${name}\``))).toEqual([]);
  });

  it('output formats: docs/check.md', () => {
    expect(missingFrom('docs/check.md', formatNames, (name) => new RegExp(`\`${name}\``))).toEqual([]);
  });

  it('live checks: their provider and host in docs/live.md', () => {
    const names = [...new Set(checkers.map((c) => c.provider))];
    expect(missingFrom('docs/live.md', names, (name) => new RegExp(`\`${name}\``))).toEqual([]);
  });
});
