import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { HOUR } from '../helpers/clock.js';
import { agentStore, makeHome } from '../helpers/home.js';
import { freePort, startProcess, waitFor } from '../helpers/processes.js';
import { toolForTest } from '../helpers/tools.js';

const alertmanager = toolForTest('prometheus-alertmanager');

describe.runIf(Boolean(alertmanager))('a real Alertmanager receives the alert', () => {
  it('shows it firing, keeps it firing on the next run, then resolved', async () => {
    const home = makeHome({ 'am.yml': 'route:\n  receiver: "null"\nreceivers:\n  - name: "null"\n' });
    const port = await freePort();
    startProcess(
      alertmanager!,
      [`--config.file=${join(home, 'am.yml')}`, `--storage.path=${join(home, 'am-data')}`, `--web.listen-address=127.0.0.1:${port}`, '--cluster.listen-address='],
      { PATH: process.env.PATH },
    );
    const base = `http://127.0.0.1:${port}`;
    await waitFor('alertmanager', async () => ((await fetch(`${base}/-/ready`)).ok ? true : undefined), 20_000);
    const active = async () => (await (await fetch(`${base}/api/v2/alerts?active=true`)).json()) as any[];

    // Real time here: Alertmanager judges startsAt/endsAt against its own clock.
    const now = Date.now();
    const write = (expires: number) =>
      writeFileSync(
        join(home, agentStore('main')),
        JSON.stringify({ version: 1, profiles: { 'anthropic:default': { type: 'token', provider: 'anthropic', token: 'sk-ant-x', expires } } }),
      );
    makeDirs(home);
    write(now - HOUR);
    writeFileSync(join(home, '.config/authwatch/config.json5'), `{ channels: [{ name: "am", type: "alertmanager", url: "${base}" }], alerting: { host: "gateway-1" } }`);

    expect((await runCli(['check'], { home })).code).toBe(1);
    const firing = await waitFor('the alert to fire', async () => {
      const alerts = await active();
      return alerts.length > 0 ? alerts : undefined;
    });
    expect(firing).toHaveLength(1);
    expect(firing[0].labels).toEqual({
      alertname: 'AuthwatchCredential',
      profile: 'anthropic:default',
      provider: 'anthropic',
      source: 'openclaw',
      agent: 'main',
      status: 'expired',
      severity: 'critical',
      instance: 'gateway-1',
    });
    expect(firing[0].status.state).toBe('active');
    expect(Date.parse(firing[0].endsAt)).toBeGreaterThan(Date.now() + 30 * 60_000);

    write(now + 300 * 24 * HOUR);
    expect((await runCli(['check'], { home })).code).toBe(0);
    await waitFor('the alert to resolve', async () => ((await active()).length === 0 ? true : undefined));
    const all = (await (await fetch(`${base}/api/v2/alerts`)).json()) as any[];
    expect(all.every((alert) => Date.parse(alert.endsAt) <= Date.now())).toBe(true);
  });
});

function makeDirs(home: string) {
  for (const dir of ['.openclaw/agents/main/agent', '.config/authwatch']) mkdirSync(join(home, dir), { recursive: true });
}
