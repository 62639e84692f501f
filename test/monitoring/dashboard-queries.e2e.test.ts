import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliPath, runCli } from '../helpers/cli.js';
import { DAY, HOUR } from '../helpers/clock.js';
import { agentStore, makeHome } from '../helpers/home.js';
import { freePort, startProcess, waitFor } from '../helpers/processes.js';
import { toolForTest } from '../helpers/tools.js';
import { dataPanels } from './dashboard.js';

const prometheus = toolForTest('prometheus');
const nodeExporter = toolForTest('prometheus-node-exporter');
const pushgateway = toolForTest('prometheus-pushgateway');

type Series = { metric: Record<string, string>; value?: [number, string]; values?: [number, string][] };

/**
 * Metrics of helpers not merged yet (live checks, quota), written as
 * node_exporter would read them beside authwatch's textfile, with the names and labels
 * they are being added under.
 */
const pendingFamilies = `authwatch_credential_live_ok{profile="anthropic:default",provider="anthropic",source="openclaw",agent="main"} 0
authwatch_credential_live_ok{profile="openrouter:default",provider="openrouter",source="openclaw",agent="main"} 1
authwatch_quota_utilization_ratio{provider="anthropic"} 0.9
`;

describe.runIf(Boolean(prometheus && nodeExporter && pushgateway))('every dashboard query against a real Prometheus (three hosts, three routes)', () => {
  it('returns the series each panel shows, filtered by $host and $provider', async () => {
    const now = Date.now();
    const home = makeHome({
      [agentStore('main')]: {
        json: {
          version: 1,
          profiles: {
            'anthropic:default': { type: 'token', provider: 'anthropic', token: 'sk-ant-oat01-PLANTEDSECRET', expires: now + 3 * DAY },
            'openrouter:default': { type: 'api_key', provider: 'openrouter', key: 'sk-or-PLANTEDSECRET' },
            // First in anthropic's order but disabled for billing: anthropic runs on a fallback.
            'anthropic:work': { type: 'api_key', provider: 'anthropic', key: 'sk-ant-PLANTEDSECRET-w' },
            'openai-codex:me': { type: 'oauth', provider: 'openai-codex', access: 'PLANTEDSECRET-a', refresh: 'PLANTEDSECRET-r', expires: now + 30 * DAY },
          },
          order: { anthropic: ['anthropic:work', 'anthropic:default'] },
          usageStats: { 'anthropic:work': { disabledUntil: now + 30 * DAY, disabledReason: 'billing' } },
        },
      },
    });
    const config = (host: string) => {
      const file = join(home, `${host}.json5`);
      writeFileSync(file, `{ alerting: { host: "${host}" } }`);
      return file;
    };
    const textfiles = join(home, 'textfile');
    mkdirSync(textfiles);
    writeFileSync(join(textfiles, 'pending-helpers.prom'), pendingFamilies);
    // Route 1: the timer's check writes a textfile that node_exporter serves.
    expect((await runCli(['check', '--config', config('gw-textfile'), '--textfile', join(textfiles, 'authwatch.prom'), '--interval', '15m'], { home })).code).toBe(2); // on fallback
    const [nodePort, pushPort, daemonPort, promPort] = await Promise.all([freePort(), freePort(), freePort(), freePort()]);
    startProcess(nodeExporter!, [`--web.listen-address=127.0.0.1:${nodePort}`, '--collector.disable-defaults', '--collector.textfile', `--collector.textfile.directory=${textfiles}`], { PATH: process.env.PATH });
    // Route 2: a check that pushes (a phone).
    startProcess(pushgateway!, [`--web.listen-address=127.0.0.1:${pushPort}`], { PATH: process.env.PATH });
    await waitFor('pushgateway', async () => ((await fetch(`http://127.0.0.1:${pushPort}/-/ready`)).ok ? true : undefined));
    expect((await runCli(['check', '--config', config('phone'), '--push', `http://127.0.0.1:${pushPort}`, '--interval', '1h'], { home })).code).toBe(2);
    // Route 3: the daemon, scraped.
    startProcess(process.execPath, [cliPath, 'daemon', '--config', config('gw-daemon'), '--listen', `127.0.0.1:${daemonPort}`, '--log-level', 'silent'], { PATH: process.env.PATH, HOME: home, TZ: 'UTC' });

    writeFileSync(
      join(home, 'prometheus.yml'),
      `global: { scrape_interval: 1s, evaluation_interval: 1s }
scrape_configs:
  - job_name: authwatch
    static_configs: [{ targets: ['127.0.0.1:${daemonPort}'] }]
  - job_name: node
    static_configs: [{ targets: ['127.0.0.1:${nodePort}'] }]
  - job_name: pushgateway
    honor_labels: true
    static_configs: [{ targets: ['127.0.0.1:${pushPort}'] }]
`,
    );
    const prom = startProcess(
      prometheus!,
      [`--config.file=${join(home, 'prometheus.yml')}`, `--storage.tsdb.path=${join(home, 'tsdb')}`, `--web.listen-address=127.0.0.1:${promPort}`],
      { PATH: process.env.PATH },
    );
    const api = `http://127.0.0.1:${promPort}/api/v1`;
    const query = async (path: string, params: Record<string, string>): Promise<Series[]> => {
      const body = (await (await fetch(`${api}/${path}?${new URLSearchParams(params)}`)).json()) as { status: string; error?: string; data: { result: Series[] } };
      if (body.status !== 'success') throw new Error(`${params.query}: ${body.error}`);
      return body.data.result;
    };
    // Every route scraped at least three times (increase() needs two samples in its window).
    await waitFor(
      'three hosts scraped three times',
      async () => ((await query('query', { query: 'count(count_over_time(authwatch_host_info[1m]) >= 3)' }))[0]?.value?.[1] === '3' ? true : undefined),
      30_000,
    ).catch((error: Error) => {
      throw new Error(`${error.message}\n${prom.output.stderr.slice(-2000)}`);
    });

    const run = async (expr: string, instant: boolean, host = '.*', provider = '.*') => {
      const text = expr.replaceAll('$host', host).replaceAll('$provider', provider).replaceAll('$__rate_interval', '30s');
      const at = Date.now() / 1000;
      return instant ? query('query', { query: text, time: String(at) }) : query('query_range', { query: text, start: String(at - 20), end: String(at), step: '1' });
    };
    const results = new Map<string, Series[]>();
    for (const panel of dataPanels()) {
      for (const target of panel.targets ?? []) {
        const { expr, instant, legendFormat } = target as { expr: string; instant: boolean; legendFormat?: string };
        const series = await run(expr, instant);
        const key = `${panel.title} ${target.refId}`;
        expect(series.length, `${key}: ${expr}`).toBeGreaterThan(0);
        // Every label the legend names is on every series.
        for (const [, label] of (legendFormat ?? '').matchAll(/\{\{(\w+)\}\}/g)) for (const s of series) expect(s.metric, key).toHaveProperty(label!);
        // $host narrows each query to that machine.
        const one = await run(expr, instant, 'gw-textfile');
        for (const where of one.map((s) => s.metric.host ?? s.metric.instance).filter((where) => where !== undefined)) expect(where, key).toMatch(/^(gw-textfile|127\.0\.0\.1:\d+)$/);
        results.set(key, series);
      }
    }
    const byLabels = (key: string, label: string) => Object.fromEntries(results.get(key)!.map((s) => [s.metric[label], Number(s.value![1])]));

    // Three hosts × three credentials, all ok (3 days is past the default 24 h window).
    expect(byLabels('Credentials per status A', 'status')).toEqual({ ok: 12 });
    const statusCounts = dataPanels().find((p) => p.title === 'Credentials per status')!.targets![0]!.expr as string;
    expect((await run(statusCounts, true, 'gw-textfile')).map((s) => s.value![1])).toEqual(['4']);
    const soonest = results.get('Soonest expiry per host and provider A')!;
    expect(new Set(soonest.map((s) => s.metric.host))).toEqual(new Set(['gw-textfile', 'phone', 'gw-daemon']));
    for (const s of soonest.filter((s) => s.metric.provider === 'anthropic')) expect(Number(s.value![1])).toBeCloseTo(3 * 86400, -3);
    expect(soonest.map((s) => s.metric.provider).sort()).toEqual(['anthropic', 'anthropic', 'anthropic', 'openai-codex', 'openai-codex', 'openai-codex']);
    const validUntil = results.get('Every credential A')!;
    expect(validUntil).toHaveLength(6);
    for (const s of validUntil) expect(s.metric).toMatchObject({ host: expect.any(String), profile: expect.any(String), provider: expect.any(String) });
    expect(Number(validUntil.find((s) => s.metric.profile === 'anthropic:default')!.value![1])).toBeCloseTo(now + 3 * DAY, -4);
    expect(results.get('Every credential B')).toHaveLength(12);
    expect(results.get('Routes on fallback or unavailable A')!.map((s) => [s.metric.host, s.metric.provider, s.metric.status]).sort()).toEqual(['gw-daemon', 'gw-textfile', 'phone'].map((host) => [host, 'anthropic', 'fallback']));
    expect(results.get('Live check failing A')!.map((s) => s.metric.profile)).toEqual(['anthropic:default']);
    expect(byLabels('Quota used A', 'provider')).toEqual({ anthropic: 0.9 });
    const age = byLabels('Last completed check A', 'host');
    expect(Object.keys(age).sort()).toEqual(['gw-daemon', 'gw-textfile', 'phone']);
    for (const seconds of Object.values(age)) expect(seconds).toBeLessThan(HOUR / 1000);
    expect(results.get('Source errors B')!.map((s) => s.metric.host)).toEqual(expect.arrayContaining(['gw-daemon']));
    expect(byLabels('Scrape and push failures A', 'host')).toEqual({ 'gw-daemon': 0 });
    expect(byLabels('Scrape and push failures B', 'host')).toEqual({ 'gw-textfile': 0 });
    expect(byLabels('Scrape and push failures C', 'instance')).toEqual({ phone: 0 });
    // The interval the dead-man rule waits on: --interval for check, the schedule (*/15) for the daemon.
    const intervals = await query('query', { query: 'authwatch_check_interval_seconds * on(job, instance) group_left(host) authwatch_host_info' });
    expect(Object.fromEntries(intervals.map((s) => [s.metric.host, Number(s.value![1])]))).toEqual({ 'gw-textfile': 900, phone: 3600, 'gw-daemon': 900 });
    // $provider narrows too.
    expect((await run(dataPanels()[1]!.targets![0]!.expr as string, true, '.*', 'anthropic')).map((s) => s.metric.provider)).toEqual(['anthropic', 'anthropic', 'anthropic']);
  }, 90_000);
});
