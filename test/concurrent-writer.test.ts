import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { evaluate } from '../src/evaluate/evaluate.js';
import { openclawAuthProfiles } from '../src/sources/openclaw-auth-profiles.js';
import { contextFor } from './helpers/context.js';
import { agentStore, makeHome } from './helpers/home.js';
import { policy } from './helpers/policy.js';
import { trackChild } from './helpers/children.js';


/**
 * A writer process rewriting auth-profiles.json the two ways OpenClaw-like tools do — temp
 * file + rename, and truncate + write in place — as fast as it can, alternating between two
 * stores whose every profile is ok.
 */
const writer = `
const fs = require('fs');
const [file, now] = [process.argv[1], Number(process.argv[2])];
const store = (days) => JSON.stringify({ version: 1, profiles: Object.fromEntries(Array.from({ length: 60 }, (_, i) =>
  ['p' + i + ':default', { type: 'token', provider: 'p' + i, token: 'x'.repeat(200), expires: now + days * 86400000 }])) });
const a = store(10), b = store(20);
let i = 0;
for (;;) {
  const text = i % 2 ? a : b;
  if (i % 4 < 2) { fs.writeFileSync(file + '.tmp', text); fs.renameSync(file + '.tmp', file); }
  else fs.writeFileSync(file, text);
  i++;
}`;

describe('a credential file rewritten while authwatch reads it', () => {
  it('is read whole or reported unreadable in 1,000 checks — never a wrong status', async () => {
    const now = Date.now();
    const home = makeHome({ [agentStore('main')]: '{"version":1,"profiles":{}}' });
    const child = trackChild(spawn(process.execPath, ['-e', writer, join(home, agentStore('main')), String(now)], { stdio: 'ignore' }));
    let whole = 0;
    let unreadable = 0;
    try {
      await new Promise((resolve) => setTimeout(resolve, 100));
      for (let run = 0; run < 1000; run++) {
        const { profiles } = await openclawAuthProfiles.read({ ...contextFor(home), now });
        const statuses = profiles.map((p) => evaluate(p, now, policy).status);
        if (statuses.length === 1 && statuses[0] === 'error') unreadable++;
        else {
          // A whole store: all 60 profiles, every one ok (or, between writes, the empty first store).
          expect(statuses.every((s) => s === 'ok')).toBe(true);
          expect([0, 60]).toContain(statuses.length);
          whole++;
        }
      }
    } finally {
      child.kill('SIGKILL');
    }
    console.log(`concurrent writer: ${whole} whole reads, ${unreadable} reported unreadable, 0 wrong statuses`);
    expect(whole + unreadable).toBe(1000);
    expect(whole).toBeGreaterThan(0);
  });
});
