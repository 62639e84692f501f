import { describe, expect, it } from 'vitest';
import { evaluate } from '../../src/evaluate/evaluate.js';
import { buildReport } from '../../src/evaluate/report.js';
import { renderExposition } from '../../src/outputs/exposition.js';
import { metricFamilies, singleRun } from '../../src/outputs/metric-families.js';
import { makeProfile, type Profile } from '../../src/sources/source.js';
import { DAY, HOUR, NOW } from '../helpers/clock.js';
import { policy } from '../helpers/policy.js';

const machine = { host: 'gateway-1', checkIntervalSeconds: 900 };
const profile = (fields: Partial<Profile> & { id: string }) =>
  makeProfile({ provider: 'anthropic', source: 'openclaw', type: 'token', agent: 'main', fingerprint: { hex: 'PLANTED0' }, ...fields });

function metricsFor(profiles: Profile[]) {
  const report = buildReport(
    profiles.map((p) => evaluate(p, NOW, policy)),
    [
      { name: 'openclaw', path: '/h/a.json', found: true, ok: true, error: null },
      { name: 'openclaw', path: '/h/b.json', found: true, ok: false, error: 'broken' },
      { name: 'env', path: null, found: true, ok: true, error: null },
    ],
    [],
    NOW,
  );
  return renderExposition(metricFamilies(singleRun(report, 12.5, machine)));
}

const sampleLines = (text: string, name: string) => text.split('\n').filter((line) => line.startsWith(`${name}{`) || line.startsWith(`${name} `));

describe('Prometheus exposition', () => {
  it('a fleet gateway\'s rows carry its `gateway` label (and keep two gateways\' same id apart); every other row writes none', () => {
    const text = metricsFor([
      profile({ id: 'anthropic:manual', source: 'gateway', agent: 'main', gateway: 'alpha', expiresAt: NOW + 3 * HOUR }),
      profile({ id: 'anthropic:manual', source: 'gateway', agent: 'main', gateway: 'beta', expiresAt: NOW + 4 * HOUR }),
      profile({ id: 'anthropic:default', expiresAt: NOW + 30 * DAY }),
    ]);
    expect(sampleLines(text, 'authwatch_credential_expiry_timestamp_seconds')).toEqual([
      `authwatch_credential_expiry_timestamp_seconds{profile="anthropic:manual",provider="anthropic",source="gateway",agent="main",gateway="alpha"} ${(NOW + 3 * HOUR) / 1000}`,
      `authwatch_credential_expiry_timestamp_seconds{profile="anthropic:manual",provider="anthropic",source="gateway",agent="main",gateway="beta"} ${(NOW + 4 * HOUR) / 1000}`,
      `authwatch_credential_expiry_timestamp_seconds{profile="anthropic:default",provider="anthropic",source="openclaw",agent="main"} ${(NOW + 30 * DAY) / 1000}`,
    ]);
    expect(sampleLines(text, 'authwatch_credential_status').filter((line) => line.endsWith(' 1'))[1]).toBe(
      'authwatch_credential_status{profile="anthropic:manual",provider="anthropic",source="gateway",agent="main",gateway="beta",status="expiring"} 1',
    );
    expect(sampleLines(text, 'authwatch_source_up')).toEqual(['authwatch_source_up{source="openclaw"} 0', 'authwatch_source_up{source="env"} 1']);
  });

  it('exports absolute expiry, a 0/1 status set, info and run metrics', async () => {
    const text = metricsFor([
      profile({ id: 'anthropic:default', expiresAt: NOW + 3 * HOUR }),
      profile({ id: 'anthropic:default', agent: 'work', expiresAt: NOW + 30 * DAY }),
      profile({ id: 'openrouter:default', provider: 'openrouter', type: 'api_key' }),
      profile({ id: 'broken', provider: 'unknown', type: null, problem: 'x' }),
    ]);
    expect(sampleLines(text, 'authwatch_credential_expiry_timestamp_seconds')).toEqual([
      `authwatch_credential_expiry_timestamp_seconds{profile="anthropic:default",provider="anthropic",source="openclaw",agent="main"} ${(NOW + 3 * HOUR) / 1000}`,
      `authwatch_credential_expiry_timestamp_seconds{profile="anthropic:default",provider="anthropic",source="openclaw",agent="work"} ${(NOW + 30 * DAY) / 1000}`,
    ]);
    const status = sampleLines(text, 'authwatch_credential_status');
    expect(status).toHaveLength(4 * 5);
    for (const id of ['anthropic:default",provider="anthropic",source="openclaw",agent="main', 'openrouter:default', 'broken']) {
      expect(status.filter((line) => line.includes(id) && line.endsWith(' 1'))).toHaveLength(1);
    }
    expect(status).toContain('authwatch_credential_status{profile="anthropic:default",provider="anthropic",source="openclaw",agent="main",status="expiring"} 1');
    expect(status).toContain('authwatch_credential_status{profile="broken",provider="unknown",source="openclaw",agent="main",status="error"} 1');
    expect(sampleLines(text, 'authwatch_credential_info')).toContain(
      'authwatch_credential_info{profile="openrouter:default",provider="openrouter",source="openclaw",agent="main",type="api_key",refreshable="false"} 1',
    );
    expect(sampleLines(text, 'authwatch_source_up')).toEqual(['authwatch_source_up{source="openclaw"} 0', 'authwatch_source_up{source="env"} 1']);
    expect(sampleLines(text, 'authwatch_last_run_timestamp_seconds')).toEqual([`authwatch_last_run_timestamp_seconds ${NOW / 1000}`]);
    expect(sampleLines(text, 'authwatch_last_success_timestamp_seconds')).toEqual([`authwatch_last_success_timestamp_seconds ${NOW / 1000}`]);
    expect(sampleLines(text, 'authwatch_last_run_duration_seconds')).toEqual(['authwatch_last_run_duration_seconds 0.0125']);
    expect(sampleLines(text, 'authwatch_last_run_success')).toEqual(['authwatch_last_run_success 1']);
    expect(sampleLines(text, 'authwatch_build_info')[0]).toMatch(/^authwatch_build_info\{version="\d+\.\d+\.\d+",node_version="v\d+/);
    // No process metrics in a one-shot output, no sample timestamps, no fingerprints or paths.
    expect(text).not.toMatch(/process_cpu|nodejs_/);
    for (const line of text.split('\n').filter((l) => l && !l.startsWith('#'))) expect(line).toMatch(/^\S+(\{.*\})? \S+$/);
    expect(text).not.toMatch(/PLANTED0|\/h\/a\.json/);
  });

  it('a credential with no expiry, or missing, has no expiry series', async () => {
    const text = metricsFor([profile({ id: 'a', type: 'api_key' }), profile({ id: 'b', secret: 'absent', expiresAt: NOW + DAY })]);
    expect(sampleLines(text, 'authwatch_credential_expiry_timestamp_seconds')).toEqual([]);
  });

  it('escapes backslash, newline and double quote in label values, and ends each family with a blank line', async () => {
    const text = metricsFor([profile({ id: 'odd"id\\with\nbreak', expiresAt: NOW + 30 * DAY })]);
    expect(sampleLines(text, 'authwatch_credential_expiry_timestamp_seconds')).toEqual([
      `authwatch_credential_expiry_timestamp_seconds{profile="odd\\"id\\\\with\\nbreak",provider="anthropic",source="openclaw",agent="main"} ${(NOW + 30 * DAY) / 1000}`,
    ]);
    expect(text).toMatch(/^# HELP authwatch_credential_expiry_timestamp_seconds .+\n# TYPE authwatch_credential_expiry_timestamp_seconds gauge\n/);
    expect(text).toContain(`${(NOW + 30 * DAY) / 1000}\n\n# HELP authwatch_credential_status `);
    expect(text.endsWith('\n\n')).toBe(true);
    expect(renderExposition(metricFamilies(singleRun(buildReport([], [], [], NOW), 1, machine)), 'openmetrics')).not.toMatch(/\n\n/);
  });

  it('writes label values beyond ASCII as they are', async () => {
    const text = metricsFor([profile({ id: 'anthropic:café 😀', agent: '仕事', expiresAt: NOW + 30 * DAY })]);
    expect(sampleLines(text, 'authwatch_credential_expiry_timestamp_seconds')).toEqual([
      `authwatch_credential_expiry_timestamp_seconds{profile="anthropic:café 😀",provider="anthropic",source="openclaw",agent="仕事"} ${(NOW + 30 * DAY) / 1000}`,
    ]);
  });

  it('never gives two series one identity: the file, then an ordinal, tells rows apart; lone surrogates count as U+FFFD', () => {
    const text = metricsFor([
      profile({ id: 'anthropic:default', path: '/h/.openclaw/agents/main/agent/auth-profiles.json', expiresAt: NOW + DAY }),
      profile({ id: 'anthropic:default', path: '/h/.clawdbot/agents/main/agent/auth-profiles.json', expiresAt: NOW + DAY }),
      profile({ id: 'same', source: 'declared', agent: null }),
      profile({ id: 'same', source: 'declared', agent: null }),
      profile({ id: 'same (no file)', source: 'declared', agent: null }),
      profile({ id: 'x\ud800' }),
      profile({ id: 'x\udc00' }),
      profile({ id: 'unique' }),
    ]);
    const info = sampleLines(text, 'authwatch_credential_info');
    expect(new Set(info.map((line) => Buffer.from(line).toString()))).toHaveProperty('size', 8);
    expect(info).toContain('authwatch_credential_info{profile="anthropic:default (/h/.clawdbot/agents/main/agent/auth-profiles.json)",provider="anthropic",source="openclaw",agent="main",type="token",refreshable="false"} 1');
    expect(info.filter((line) => line.includes('profile="same (no file)'))).toHaveLength(3);
    expect(info).toContain('authwatch_credential_info{profile="same (no file) #2",provider="anthropic",source="declared",agent="",type="token",refreshable="false"} 1');
    expect(info.some((line) => line.startsWith('authwatch_credential_info{profile="unique",'))).toBe(true);
  });
});
