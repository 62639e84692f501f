import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDotenv } from '../../src/sources/dotenv.js';
import { envKeys } from '../../src/sources/env-keys.js';
import { envRowServesRoutes, rotationKeyNote } from '../../src/sources/provider-env.js';
import { contextFor } from '../helpers/context.js';
import { makeHome } from '../helpers/home.js';

describe('dotenv parser', () => {
  it('handles export, quotes, comments and blank lines', async () => {
    const values = await parseDotenv(
      ['# comment', '', 'export A=1', 'B = "two words"', "C='single # not comment'", 'D=plain # comment', 'E="x\\ny"', 'not an assignment', 'F='].join('\n'),
    );
    expect(Object.fromEntries(values)).toEqual({ A: '1', B: 'two words', C: 'single # not comment', D: 'plain', E: 'x\ny', F: '' });
  });
});

describe('environment keys source', () => {
  it('reads the process environment and ~/.openclaw/.env; the process wins; one row per provider', async () => {
    const home = makeHome({
      '.openclaw/.env': 'ANTHROPIC_API_KEY=sk-ant-PLANTED-file\nOPENROUTER_API_KEY="sk-or-PLANTED"\nGROQ_API_KEY=\n',
    });
    const { profiles, visits } = await envKeys.read(
      contextFor(home, { ANTHROPIC_API_KEY: 'sk-ant-PLANTED-process', OPENAI_API_KEY: '  ', ANTHROPIC_OAUTH_TOKEN: '' }),
    );
    const byId = Object.fromEntries(profiles.map((p) => [p.id, p]));
    expect(Object.keys(byId).sort()).toEqual(['env:ANTHROPIC_API_KEY', 'env:OPENROUTER_API_KEY']);
    expect(byId['env:ANTHROPIC_API_KEY']).toMatchObject({ provider: 'anthropic', type: 'api_key', path: null, expiresAt: null });
    expect(byId['env:ANTHROPIC_API_KEY']!.notes).toEqual(['from the process environment']);
    expect(byId['env:OPENROUTER_API_KEY']).toMatchObject({ provider: 'openrouter', path: join(home, '.openclaw/.env') });
    expect(JSON.stringify(profiles)).not.toMatch(/PLANTED/);
    expect(visits.map((v) => v.path)).toEqual([null, join(home, '.openclaw/.env')]);
  });

  it('a variable set empty in the process hides the .env value, as for the gateway (issue 32)', async () => {
    const home = makeHome({ '.openclaw/.env': 'GOOGLE_API_KEY=AIza-PLANTED-file\nOPENROUTER_API_KEY=sk-or-PLANTED-file\n' });
    const { profiles } = await envKeys.read(contextFor(home, { GOOGLE_API_KEY: '' }));
    expect(profiles.map((p) => p.id)).toEqual(['env:OPENROUTER_API_KEY']);
  });

  it('an OAuth token variable wins over the API key of the same provider and is a token', async () => {
    const home = makeHome();
    const { profiles } = await envKeys.read(contextFor(home, { ANTHROPIC_API_KEY: 'k', ANTHROPIC_OAUTH_TOKEN: 't' }));
    expect(profiles.map((p) => [p.id, p.type])).toEqual([['env:ANTHROPIC_OAUTH_TOKEN', 'token']]);
  });

  it('follows $OPENCLAW_STATE_DIR to the .env file', async () => {
    const home = makeHome({ 'custom/.env': 'OPENROUTER_API_KEY=m' });
    const { profiles } = await envKeys.read(contextFor(home, { OPENCLAW_STATE_DIR: join(home, 'custom') }));
    expect(profiles.map((p) => p.id)).toEqual(['env:OPENROUTER_API_KEY']);
  });

  it("maps variables as OpenClaw's plugin manifests do: GOOGLE_API_KEY alone is google, MINIMAX_API_KEY minimax", async () => {
    const home = makeHome();
    const { profiles } = await envKeys.read(contextFor(home, { GOOGLE_API_KEY: 'g', MINIMAX_API_KEY: 'm', XAI_API_KEY: 'x', CODEX_API_KEY: 'c' }));
    expect(profiles.map((p) => [p.id, p.provider])).toEqual([
      ['env:GOOGLE_API_KEY', 'google'],
      ['env:MINIMAX_API_KEY', 'minimax'],
      ['env:CODEX_API_KEY', 'openai'],
      ['env:XAI_API_KEY', 'xai'],
    ]);
  });

  it('a key several providers read is one row, under the first provider (no duplicate ids)', async () => {
    const home = makeHome();
    const { profiles } = await envKeys.read(contextFor(home, { ANTHROPIC_API_KEY: 'a', OLLAMA_API_KEY: 'o' }));
    expect(profiles.map((p) => [p.id, p.provider])).toEqual([
      ['env:ANTHROPIC_API_KEY', 'anthropic'],
      ['env:OLLAMA_API_KEY', 'ollama'],
    ]);
  });

  it('GROQ_API_KEY, MISTRAL_API_KEY and DEEPSEEK_API_KEY are rows, as the official external plugins read them (issue 30 §5)', async () => {
    const home = makeHome({ '.openclaw/.env': 'DEEPSEEK_API_KEY=sk-PLANTED-deepseek\n' });
    const { profiles } = await envKeys.read(contextFor(home, { GROQ_API_KEY: 'gsk_PLANTED', MISTRAL_API_KEY: 'PLANTED-mistral' }));
    expect(profiles.map((p) => [p.id, p.provider, p.type])).toEqual([
      ['env:DEEPSEEK_API_KEY', 'deepseek', 'api_key'],
      ['env:GROQ_API_KEY', 'groq', 'api_key'],
      ['env:MISTRAL_API_KEY', 'mistral', 'api_key'],
    ]);
    expect(JSON.stringify(profiles)).not.toMatch(/PLANTED/);
    // Not in OpenClaw's package, and no installed plugin index in this home: `models status` calls a groq route indeterminate.
    expect(profiles[1]!.notes).toContain('read only by the official external plugin @openclaw/groq-provider, which is not installed; fix: `openclaw plugins install @openclaw/groq-provider`, then restart the gateway');
    expect(profiles.map((p) => envRowServesRoutes(p, 'openclaw'))).toEqual([false, false, false]);
  });

  it('a bundled provider\'s key serves routes; a rotation key does not', async () => {
    const { profiles } = await envKeys.read(contextFor(makeHome(), { ANTHROPIC_API_KEY: 'a', ANTHROPIC_API_KEY_2: 'b' }));
    expect(profiles.map((p) => [p.id, envRowServesRoutes(p, 'authwatch')])).toEqual([
      ['env:ANTHROPIC_API_KEY', true],
      ['env:ANTHROPIC_API_KEY_2', false],
    ]);
  });

  describe("key pools, as OpenClaw's collectProviderApiKeys reads them (src/agents/live-auth-keys.ts)", () => {
    const rows = async (env: Record<string, string>, file = '') => {
      const home = makeHome(file ? { '.openclaw/.env': file } : {});
      const { profiles } = await envKeys.read(contextFor(home, env));
      expect(JSON.stringify(profiles)).not.toMatch(/PLANTED/);
      return profiles.map((p) => [p.id, p.provider, p.notes.includes(rotationKeyNote)]);
    };

    it('<P>_API_KEYS (split at whitespace, commas, semicolons), <P>_API_KEY_* and the .env file: one row per distinct key', async () => {
      expect(
        await rows({ GROQ_API_KEY: 'PLANTED-0', GROQ_API_KEYS: 'PLANTED-1, PLANTED-2;PLANTED-0\nPLANTED-1', GROQ_API_KEY_BACKUP: 'PLANTED-3' }, 'GROQ_API_KEY_2=PLANTED-4\nGROQ_API_KEY_BACKUP=PLANTED-file\n'),
      ).toEqual([
        ['env:GROQ_API_KEY', 'groq', false],
        ['env:GROQ_API_KEYS#1', 'groq', true],
        ['env:GROQ_API_KEYS#2', 'groq', true],
        ['env:GROQ_API_KEY_BACKUP', 'groq', true],
        ['env:GROQ_API_KEY_2', 'groq', true],
      ]);
    });

    it('OPENCLAW_LIVE_<P>_KEY alone makes the pool; google reads GEMINI_*, anthropic OPENCLAW_LIVE_ANTHROPIC_KEYS', async () => {
      expect(await rows({ OPENCLAW_LIVE_MISTRAL_KEY: 'PLANTED-live', MISTRAL_API_KEYS: 'PLANTED-a,PLANTED-b' })).toEqual([['env:OPENCLAW_LIVE_MISTRAL_KEY', 'mistral', true]]);
      expect(await rows({ GEMINI_API_KEYS: 'PLANTED-g1', GEMINI_API_KEY_9: 'PLANTED-g2', ANTHROPIC_API_KEYS: 'PLANTED-ignored', OPENCLAW_LIVE_ANTHROPIC_KEYS: 'PLANTED-a1' })).toEqual([
        ['env:OPENCLAW_LIVE_ANTHROPIC_KEYS#1', 'anthropic', true],
        ['env:GEMINI_API_KEYS#1', 'google', true],
        ['env:GEMINI_API_KEY_9', 'google', true],
      ]);
    });

    it('hands every rotation key to the live checks under its own row, like the primary key', async () => {
      const handed: [string, string][] = [];
      const context = { ...contextFor(makeHome(), { GROQ_API_KEY: 'k0', GROQ_API_KEYS: 'k1 k2' }), handOverSecret: (row: { id: string }, secret: { value: string }) => handed.push([row.id, secret.value]) };
      await envKeys.read(context);
      expect(handed).toEqual([
        ['env:GROQ_API_KEY', 'k0'],
        ['env:GROQ_API_KEYS#1', 'k1'],
        ['env:GROQ_API_KEYS#2', 'k2'],
      ]);
    });

    it('a process variable set empty hides the .env one, as for the primary keys', async () => {
      expect(await rows({ DEEPSEEK_API_KEYS: '' }, 'DEEPSEEK_API_KEYS=PLANTED-x\n')).toEqual([]);
    });
  });

  it('an unreadable .env is an error row, process keys still count', async () => {
    const home = makeHome({ '.openclaw/.env/nested': 'x' });
    const { profiles } = await envKeys.read(contextFor(home, { OPENAI_API_KEY: 'k' }));
    expect(profiles.map((p) => [p.id, p.problem === null])).toEqual([
      ['env:.env', false],
      ['env:OPENAI_API_KEY', true],
    ]);
    expect(profiles[0]!.problem).toMatch(/\.openclaw\/\.env: a directory, not a file/);
  });
});
