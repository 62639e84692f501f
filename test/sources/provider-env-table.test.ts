import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { providerEnvTableVersion, providerEnvVars } from '../../src/sources/provider-env.js';
import table from '../../src/sources/provider-env-table.json' with { type: 'json' };

const script = fileURLToPath(new URL('../../scripts/provider-env-table.mjs', import.meta.url));
const checkedIn = fileURLToPath(new URL('../../src/sources/provider-env-table.json', import.meta.url));
const installed = '/opt/openclaw/openclaw/node_modules/openclaw';

describe('provider ↔ env-variable table', () => {
  it('is the one OpenClaw 2026.9.6 uses: google reads GEMINI_API_KEY and GOOGLE_API_KEY, minimax MINIMAX_API_KEY', () => {
    expect(providerEnvTableVersion).toBe('2026.9.6');
    expect(providerEnvVars.google).toEqual(['GEMINI_API_KEY', 'GOOGLE_API_KEY']);
    expect(providerEnvVars.minimax).toContain('MINIMAX_API_KEY');
    expect(providerEnvVars.anthropic).toEqual(['ANTHROPIC_OAUTH_TOKEN', 'ANTHROPIC_API_KEY']);
  });

  it.skipIf(!existsSync(installed))('equals what scripts/provider-env-table.mjs makes from the installed OpenClaw', () => {
    const generated = execFileSync(process.execPath, [script, installed, '--stdout'], { encoding: 'utf8', timeout: 20_000 });
    const version = JSON.parse(readFileSync(`${installed}/package.json`, 'utf8')).version;
    if (version === providerEnvTableVersion) expect(generated).toBe(readFileSync(checkedIn, 'utf8'));
    else expect.fail(`OpenClaw ${version} is installed, the table is from ${providerEnvTableVersion}: run node scripts/provider-env-table.mjs`);
  });

  it('includes the official external provider plugins: GROQ_API_KEY, MISTRAL_API_KEY, DEEPSEEK_API_KEY (issue 30 §5)', () => {
    expect(providerEnvVars.groq).toEqual(['GROQ_API_KEY']);
    expect(providerEnvVars.mistral).toEqual(['MISTRAL_API_KEY']);
    expect(providerEnvVars.deepseek).toEqual(['DEEPSEEK_API_KEY']);
    expect(table.external).toMatchObject({ groq: '@openclaw/groq-provider', mistral: '@openclaw/mistral-provider', deepseek: '@openclaw/deepseek-provider' });
    // A bundled provider keeps its bundled list first; the core table still wins.
    expect(providerEnvVars['opencode-go']).toEqual(['OPENCODE_API_KEY', 'OPENCODE_ZEN_API_KEY']);
    expect(providerEnvVars.cerebras).toEqual(['CEREBRAS_API_KEY']);
  });

  // Read straight from the installed catalog, not through the script: a generator that drops it fails here.
  it.skipIf(!existsSync(installed))("holds every variable the installed OpenClaw's official external provider catalog declares", () => {
    const catalog = JSON.parse(readFileSync(`${installed}/scripts/lib/official-external-provider-catalog.json`, 'utf8')) as {
      entries: { openclaw?: { providers?: { id: string; envVars?: string[] }[] } }[];
    };
    const declared = catalog.entries.flatMap((entry) => (entry.openclaw?.providers ?? []).filter((provider) => provider.envVars?.length));
    expect(declared.length).toBeGreaterThan(30);
    for (const provider of declared) for (const variable of provider.envVars!) expect(providerEnvVars[provider.id], `${provider.id} ${variable}`).toContain(variable);
  });

  it('a package without manifests is an error naming the path', () => {
    let message = '';
    try {
      execFileSync(process.execPath, [script, '/nonexistent-openclaw', '--stdout'], { encoding: 'utf8', stdio: 'pipe', timeout: 20_000 });
    } catch (error) {
      message = String((error as { stderr: string }).stderr);
    }
    expect(message).toBe('provider-env-table: /nonexistent-openclaw/package.json: not found\n');
  });
});
