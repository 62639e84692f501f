import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliPath, runProcess } from './helpers/cli.js';
import { DEFAULT_OPENCLAW, startRealGateway, type RealGateway } from './helpers/gateway.js';
import { findOpenclaw } from './parity/harness.js';
import { liveConfig, startProviders, type FakeProviders } from './live/providers.js';

// Issue 30 §4: a cron job's model override is a model the gateway runs. The jobs are made by
// the real OpenClaw 2026.9.6 CLI (`openclaw cron add --model … --fallbacks …`, through a real
// gateway, which stores them in the state DB's cron_jobs), then the gateway is stopped and
// authwatch looks the models up live at a fake OpenAI answering as OpenAI documents
// (test/live/providers.ts: an id it does not serve is its 404 `model_not_found`).

const openclaw = findOpenclaw();
const MARKER = 'CRONMARKER7d1e';
const openaiKey = `works.1${MARKER}x`;

interface ModelJson {
  role: string;
  ref: string;
  check: { verdict: string } | null;
}

describe.runIf(openclaw !== null)('cron jobs\' model overrides are checked (real gateway, real CLI)', () => {
  let gateway: RealGateway;
  let providers: FakeProviders;
  const jobIds: Record<string, string> = {};

  beforeAll(async () => {
    providers = await startProviders();
    gateway = await startRealGateway(openclaw ?? DEFAULT_OPENCLAW, { expiresIn: '20h', tokenInConfig: true });
    const add = async (name: string, extra: string[]) => {
      const result = await runProcess(openclaw!, ['cron', 'add', '--name', name, '--every', '6h', '--message', 'report', ...extra, '--url', gateway.url, '--token', gateway.token, '--json'], { env: gateway.env, timeoutMs: 400_000 });
      expect(result.code, result.stderr.slice(-1000)).toBe(0);
      jobIds[name] = JSON.parse(result.stdout).id ?? JSON.parse(result.stdout).job?.id;
    };
    await add('nightly', ['--model', 'openai/gpt-4-retired', '--fallbacks', 'openai/gpt-6-astra,openai/gpt-3-gone']);
    await add('paused', ['--model', 'openai/gpt-2-paused', '--disabled']);
    await add('plain', []);
    await gateway.stop();
    // authwatch's own config: live checks against the fake providers.
    mkdirSync(join(gateway.home, '.config/authwatch'), { recursive: true });
    writeFileSync(join(gateway.home, '.config/authwatch/config.json5'), JSON.stringify(liveConfig(providers.url)));
  }, 1_200_000);

  afterAll(async () => {
    await gateway?.stop();
    if (gateway) rmSync(gateway.home, { recursive: true, force: true });
  });

  const check = async (args: string[]) => {
    const result = await runProcess(process.execPath, [cliPath, 'check', '--no-alerts', ...args], { env: { ...gateway.env, OPENAI_API_KEY: openaiKey }, timeoutMs: 60_000 });
    expect(result.stdout + result.stderr).not.toContain(MARKER);
    return result;
  };

  it('an enabled job\'s model and fallbacks are looked up with the credential of their route; a disabled job is not', async () => {
    const result = await check(['--json']);
    const document = JSON.parse(result.stdout) as { exitCode: number; providers: { provider: string; agent: string | null; models: ModelJson[] }[] };
    const openai = document.providers.find((p) => p.provider === 'openai')!;
    const models = Object.fromEntries(openai.models.map((m) => [`${m.role} ${m.ref}`, m.check?.verdict ?? null]));
    expect(models).toEqual({
      'cron job nightly openai/gpt-4-retired': 'missing',
      'cron job nightly fallback openai/gpt-6-astra': 'exists',
      'cron job nightly fallback openai/gpt-3-gone': 'missing',
    });
    // The job's own model fails each of its runs: the check fails (exit 1).
    expect(document.exitCode).toBe(1);
    const table = (await check([])).stdout;
    expect(table).toContain(`cron job nightly openai/gpt-4-retired does not exist at openai`);
    expect(table).toContain(`fix: openclaw cron edit ${jobIds.nightly} --model <a model that exists>`);
    expect(table).toContain(`fix: openclaw cron edit ${jobIds.nightly} --fallbacks <its fallbacks without openai/gpt-3-gone>`);
    expect(table).not.toContain('gpt-2-paused');
  }, 600_000);

  it('`--policy openclaw` does not count them, as `models status` does not', async () => {
    const parity = await check(['--policy', 'openclaw', '--json']);
    const document = JSON.parse(parity.stdout) as { providers: { provider: string }[] };
    expect(document.providers.map((p) => p.provider)).not.toContain('openai');
  }, 600_000);
});
