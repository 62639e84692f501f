import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliPath, runProcess } from './helpers/cli.js';
import { cleanEnv, findOpenclaw } from './parity/harness.js';

// Issue 30 §5: a provider only an official external plugin serves (deepseek here) is served by
// its env key once the plugin is installed. Homes made by the real OpenClaw 2026.9.6 CLI
// (`openclaw plugins install`, from the registry's tarball in test/fixtures/openclaw-plugins,
// offline), judged by the real `openclaw models status --check` and by authwatch.

const openclaw = findOpenclaw();
const root = mkdtempSync(join(tmpdir(), 'authwatch-plugins-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const tarball = fileURLToPath(new URL('./fixtures/openclaw-plugins/openclaw-deepseek-provider-2026.9.5.tgz', import.meta.url));
const key = `sk-PLANTEDdeepseek${'7'.repeat(24)}`;
const deepseekModel = { agents: { defaults: { model: { primary: 'deepseek/deepseek-chat' } } } };

const envOf = (home: string): Record<string, string> => ({ ...cleanEnv(home), OPENCLAW_STATE_DIR: join(home, '.openclaw'), DEEPSEEK_API_KEY: key });

async function real(home: string, args: string[]): Promise<number | null> {
  const result = await runProcess(openclaw!, args, { env: envOf(home), timeoutMs: 600_000 });
  return result.code;
}

async function authwatch(home: string, policy: 'openclaw' | 'authwatch'): Promise<{ code: number | null; detail: string; route: string }> {
  const result = await runProcess(process.execPath, [cliPath, 'check', '--json', '--no-alerts', '--policy', policy], { env: envOf(home), timeoutMs: 60_000 });
  expect(result.stdout + result.stderr).not.toMatch(/PLANTED/);
  const document = JSON.parse(result.stdout);
  const row = document.profiles.find((p: { id: string }) => p.id === 'env:DEEPSEEK_API_KEY');
  const route = document.providers.find((p: { provider: string }) => p.provider === 'deepseek');
  return { code: result.code, detail: row.detail, route: route?.verdict ?? 'none' };
}

/** A copy of the home the real CLI installed the plugin into (each case changes its copy). */
function copyOf(installed: string, name: string): string {
  const home = join(root, name);
  cpSync(installed, home, { recursive: true });
  return home;
}

const editConfig = (home: string, edit: (config: any) => void) => {
  const path = join(home, '.openclaw/openclaw.json');
  const config = JSON.parse(readFileSync(path, 'utf8'));
  edit(config);
  writeFileSync(path, JSON.stringify(config, null, 2));
};

describe.runIf(openclaw !== null)('external provider plugins: installed or not (real OpenClaw CLI)', () => {
  let installed = '';
  beforeAll(async () => {
    installed = join(root, 'installed');
    mkdirSync(join(installed, '.openclaw'), { recursive: true, mode: 0o700 });
    writeFileSync(join(installed, '.openclaw/openclaw.json'), JSON.stringify(deepseekModel));
    expect(await real(installed, ['plugins', 'install', tarball, '--force', '--accept-capabilities'])).toBe(0);
  }, 600_000);

  it('installed: the env key serves the route, as `models status --check` says (it was a false alarm)', async () => {
    const home = copyOf(installed, 'serves');
    expect(await real(home, ['models', 'status', '--check', '--json'])).toBe(0);
    const parity = await authwatch(home, 'openclaw');
    expect(parity.code).toBe(0);
    expect(parity.detail).toContain('read by the installed external plugin @openclaw/deepseek-provider');
    const own = await authwatch(home, 'authwatch');
    expect([own.code, own.route]).toEqual([0, 'serving']);
  }, 600_000);

  /** A plugin the gateway cannot run: the key serves nothing, for `models status` as for both policies. */
  async function servesNothing(home: string, detail: string) {
    expect(await real(home, ['models', 'status', '--check', '--json'])).toBe(1);
    const parity = await authwatch(home, 'openclaw');
    expect(parity.code).toBe(1);
    expect(parity.detail).toContain(detail);
    expect((await authwatch(home, 'authwatch')).code).toBe(1);
  }

  it('not installed: the key serves nothing and the row says how to install the plugin', async () => {
    const home = join(root, 'none');
    mkdirSync(join(home, '.openclaw'), { recursive: true, mode: 0o700 });
    writeFileSync(join(home, '.openclaw/openclaw.json'), JSON.stringify(deepseekModel));
    await servesNothing(home, 'which is not installed; fix: `openclaw plugins install @openclaw/deepseek-provider`');
  }, 600_000);

  /** A plugin the policy keeps off: `models status` (and `--policy openclaw`) still count the key, the gateway does not load it. */
  async function offForTheGateway(home: string, detail: string) {
    expect(await real(home, ['models', 'status', '--check', '--json'])).toBe(0);
    expect((await authwatch(home, 'openclaw')).code).toBe(0);
    const own = await authwatch(home, 'authwatch');
    expect(own.code).toBe(1);
    expect(own.detail).toContain(detail);
  }

  it('installed but disabled: `models status` still counts the key; the gateway does not load the plugin', async () => {
    const home = copyOf(installed, 'disabled');
    expect(await real(home, ['plugins', 'disable', 'deepseek'])).toBe(0);
    await offForTheGateway(home, 'installed but off (plugins.entries.deepseek.enabled is false); fix: run `openclaw plugins enable deepseek`');
  }, 600_000);

  it('an allowlist without the plugin keeps it off for the gateway; `models status` still counts the key', async () => {
    const home = copyOf(installed, 'allow');
    editConfig(home, (config) => (config.plugins.allow = ['anthropic']));
    await offForTheGateway(home, 'plugins.allow does not list deepseek');
  }, 600_000);

  // Last: it changes the installed home itself (the index's paths are absolute: a copy's point here).
  it("the plugin's files gone: not an install, for `models status` as for authwatch", async () => {
    const home = installed;
    rmSync(join(home, '.openclaw/extensions'), { recursive: true, force: true });
    await servesNothing(home, 'whose files are gone');
  }, 600_000);
});
