import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { providerEnvTableVersion, providerEnvVars } from '../../src/sources/provider-env.js';

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
