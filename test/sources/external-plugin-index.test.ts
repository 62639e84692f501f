import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { envKeys } from '../../src/sources/env-keys.js';
import { envRowServesRoutes } from '../../src/sources/provider-env.js';
import { NOW } from '../helpers/clock.js';
import { contextFor } from '../helpers/context.js';
import { makeHome } from '../helpers/home.js';

// The rules of openclaw-plugins.ts on hand-made homes: the `plugins.installedIndex` row as
// OpenClaw 2026.9.6 writes it (the record below is the one `openclaw plugins install
// @openclaw/deepseek-provider` wrote, trimmed to the fields its schema requires —
// dist/installed-plugin-index-store-*.mjs `InstalledPluginIndexRecordSchema`) and
// openclaw.json's `plugins` policy (dist/config-normalization-shared-*.mjs
// `resolvePluginActivationDecisionShared`). test/external-plugins.e2e.test.ts has the homes the
// real CLI makes.

const record = (home: string, origin: string) => ({
  pluginId: 'deepseek',
  packageName: '@openclaw/deepseek-provider',
  manifestPath: join(home, 'plugin/openclaw.plugin.json'),
  manifestHash: 'd71cf9daec62ca22170a6b914205501759938adb2b3a92142f918317526a661b',
  rootDir: join(home, 'plugin'),
  origin,
  enabled: true,
  startup: { sidecar: false, memory: false, agentHarnesses: [], configPaths: [] },
  contributions: { channels: [], channelConfigs: [], providers: ['deepseek'], modelCatalogProviders: ['deepseek'], modelSupportPrefixes: [], modelSupportPatterns: [], autoEnableProviderIds: [], commandAliases: [], contracts: { usageProviders: ['deepseek'] } },
  compat: [],
});

const indexRow = (home: string, origin = 'global') => ({
  revision: 1796656776245,
  index: { version: 1, hostContractVersion: '2026.9.6', compatRegistryVersion: 'x', migrationVersion: 1, policyHash: 'x', generatedAtMs: NOW, installRecords: {}, plugins: [record(home, origin)], diagnostics: [] },
});

const sql = (text: string) => `'${text.replaceAll("'", "''")}'`;

/** A home with a state DB holding `index` (JSON text) as `plugins.installedIndex`, made with the real sqlite3; the plugin's manifest on disk. */
function homeWith(index: (home: string) => unknown, plugins?: unknown): string {
  const home = makeHome({
    'plugin/openclaw.plugin.json': { json: { id: 'deepseek' } },
    ...(plugins === undefined ? {} : { '.openclaw/openclaw.json': { json: { plugins } } }),
  });
  mkdirSync(join(home, '.openclaw/state'), { recursive: true });
  const value = index(home);
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  execFileSync('sqlite3', [join(home, '.openclaw/state/openclaw.sqlite')], {
    input: `CREATE TABLE config_machine_state (state_key TEXT NOT NULL PRIMARY KEY, value_json TEXT NOT NULL, updated_at_ms INTEGER NOT NULL) STRICT;\nINSERT INTO config_machine_state VALUES ('plugins.installedIndex', ${sql(text)}, ${NOW});\n`,
  });
  return home;
}

async function deepseekRow(home: string) {
  const { profiles } = await envKeys.read(contextFor(home, { DEEPSEEK_API_KEY: 'sk-PLANTED-deepseek' }));
  const row = profiles.find((p) => p.id === 'env:DEEPSEEK_API_KEY')!;
  expect(JSON.stringify(profiles)).not.toMatch(/PLANTED/);
  return { notes: row.notes.join('; '), openclaw: envRowServesRoutes(row, 'openclaw'), authwatch: envRowServesRoutes(row, 'authwatch') };
}

describe('external provider plugins in the installed plugin index', () => {
  it('an installed plugin with no policy serves its key', async () => {
    expect(await deepseekRow(homeWith((home) => indexRow(home)))).toMatchObject({ openclaw: true, authwatch: true, notes: expect.stringContaining('read by the installed external plugin @openclaw/deepseek-provider') });
  });

  it.each([
    ['plugins.enabled false', { enabled: false }, 'plugins.enabled is false'],
    ['a deny list naming it', { deny: ['DeepSeek'] }, 'plugins.deny lists deepseek'],
    ['its entry disabled', { entries: { deepseek: { enabled: false } } }, 'plugins.entries.deepseek.enabled is false); fix: run `openclaw plugins enable deepseek`'],
    ['an allow list without it', { allow: ['anthropic'] }, 'plugins.allow does not list deepseek'],
  ])('%s: off for the gateway, still counted by `models status`', async (_, plugins, why) => {
    const row = await deepseekRow(homeWith((home) => indexRow(home), plugins));
    expect(row).toMatchObject({ openclaw: true, authwatch: false });
    expect(row.notes).toContain(why);
  });

  it('an allow list naming it, or an enabled entry, keeps it on; a workspace plugin needs one of them', async () => {
    expect((await deepseekRow(homeWith((home) => indexRow(home), { allow: ['deepseek'] }))).authwatch).toBe(true);
    expect((await deepseekRow(homeWith((home) => indexRow(home, 'workspace')))).authwatch).toBe(false);
    expect((await deepseekRow(homeWith((home) => indexRow(home, 'workspace'), { entries: { deepseek: { enabled: true } } }))).authwatch).toBe(true);
  });

  it('a bundled record is not the external plugin; a home without the row has nothing installed', async () => {
    expect(await deepseekRow(homeWith((home) => indexRow(home, 'bundled')))).toMatchObject({ openclaw: false, notes: expect.stringContaining('which is not installed') });
    expect(await deepseekRow(makeHome())).toMatchObject({ openclaw: false, authwatch: false });
  });

  it('an index that cannot be read says so, names the file, and counts the key for no route', async () => {
    const home = homeWith(() => ({ revision: 1, index: { plugins: 'all of them' } }));
    const row = await deepseekRow(home);
    expect(row).toMatchObject({ openclaw: false, authwatch: false });
    expect(row.notes).toContain(`${join(home, '.openclaw/state/openclaw.sqlite')}: the installed plugin index (config_machine_state plugins.installedIndex) is \`index.plugins\` is not a list`);
    expect((await deepseekRow(homeWith(() => '{"revision": 1, "index":'))).notes).toContain('not valid JSON');
  });
});
