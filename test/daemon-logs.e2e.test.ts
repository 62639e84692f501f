import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HOUR } from './helpers/clock.js';
import { startDaemon } from './helpers/daemon.js';
import { agentStore, makeHome } from './helpers/home.js';
import { waitFor } from './helpers/processes.js';

// The daemon at its usual level (info) says what changed, not every check: with scrapeTtl 30 s
// a check per scrape used to log a line per bad profile, thousands a day.

const now = Date.now();
const store = (expires: number) => JSON.stringify({ version: 1, profiles: { 'anthropic:default': { type: 'token', provider: 'anthropic', token: 'sk-ant-oat01-PLANTEDSECRET', expires } } });

describe('daemon logs (child process)', () => {
  it('logs a status change once at info, the checks in between at debug', async () => {
    const home = makeHome({ [agentStore('main')]: store(now - HOUR), '.config/authwatch/config.json5': '{}' });
    const daemon = await startDaemon(home, '{ schedule: "0 0 1 1 *", daemon: { scrapeTtl: "1ms" } }');
    const infoLines = () => daemon.output.stderr.split('\n').filter(Boolean).map((line) => JSON.parse(line) as { level: number; msg: string; [key: string]: unknown }).filter((line) => line.level === 30);
    // Each /status answer starts the next check (scrapeTtl 1 ms): wait for six distinct checks.
    const seen = new Set<string>();
    await waitFor('six checks', async () => {
      seen.add((JSON.parse(await (await daemon.get('/status')).text()) as { checkedAt: string }).checkedAt);
      return seen.size >= 6 ? true : undefined;
    });
    const changed = infoLines().filter((line) => line.msg === 'profile status changed');
    expect(changed).toEqual([expect.objectContaining({ profile: 'main/anthropic:default', from: 'ok', to: 'expired' })]);
    expect(infoLines().filter((line) => line.msg === 'check finished')).toHaveLength(1); // the start's
    expect(infoLines().map((line) => line.msg)).not.toContain('profile not ok');

    // Renewed: one more change, and the check that saw it says the overall status moved.
    writeFileSync(join(home, agentStore('main')), store(now + 30 * 24 * HOUR));
    await waitFor('the renewal to be seen', async () => ((JSON.parse(await (await daemon.get('/status')).text()) as { status: string }).status === 'ok' ? true : undefined));
    expect(infoLines().filter((line) => line.msg === 'profile status changed').slice(1)).toEqual([expect.objectContaining({ profile: 'main/anthropic:default', from: 'expired', to: 'ok' })]);
    expect(infoLines().filter((line) => line.msg === 'check finished').at(-1)).toMatchObject({ reason: 'scrape', status: 'ok', previous: 'expired' });
  });
});
