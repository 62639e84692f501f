import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { alertingSchema } from '../src/config/alerting.js';
import { defaultAlerting } from '../src/config/defaults.js';
import { loadConfig, locateConfig } from '../src/config/load.js';
import { parseConfig } from '../src/config/schema.js';
import { defaultConfig } from '../src/config/defaults.js';
import { AuthwatchError } from '../src/core/errors.js';
import { providerOfModelRef, providerUsesOf, readOpenclawConfig } from '../src/sources/openclaw-config.js';
import { contextFor } from './helpers/context.js';
import { makeHome } from './helpers/home.js';

describe('config loading', () => {
  it('finds the config: --config, then $AUTHWATCH_CONFIG, then $XDG_CONFIG_HOME, then ~/.config', () => {
    expect(locateConfig('/x.json5', { AUTHWATCH_CONFIG: '/y' }, '/h')).toEqual({ path: '/x.json5', explicit: true });
    expect(locateConfig(undefined, { AUTHWATCH_CONFIG: '/y' }, '/h')).toEqual({ path: '/y', explicit: true });
    expect(locateConfig(undefined, { XDG_CONFIG_HOME: '/xdg' }, '/h')).toEqual({ path: '/xdg/authwatch/config.json5', explicit: false });
    expect(locateConfig(undefined, {}, '/h')).toEqual({ path: '/h/.config/authwatch/config.json5', explicit: false });
  });

  it('no config file means defaults; an explicit missing one is an error', async () => {
    const home = makeHome();
    const loaded = await loadConfig({ path: join(home, 'none.json5'), explicit: false });
    expect(loaded).toMatchObject({ path: null, config: { require: [], strictRefreshable: false } });
    await expect(loadConfig({ path: join(home, 'none.json5'), explicit: true })).rejects.toThrow(/config file not found/);
  });

  it('reads JSON5 with comments and trailing commas', async () => {
    const home = makeHome({ 'c.json5': "{ // comment\n warn: '48h', require: ['anthropic',], }" });
    const { config } = await loadConfig({ path: join(home, 'c.json5'), explicit: true });
    expect(config.warn).toBe(48 * 3_600_000);
    expect(config.require).toEqual(['anthropic']);
  });

  it('lists every invalid field as file: path: problem', async () => {
    const home = makeHome({
      'c.json5': JSON.stringify({
        warn: 'soon',
        require: ['Anthropic!'],
        providers: { anthropic: { warn: 5 } },
        profiles: { 'anthropic:manual': { issuedAt: '2026-01-10' } },
        typo: true,
      }),
    });
    const file = join(home, 'c.json5');
    const error = await loadConfig({ path: file, explicit: true }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthwatchError);
    const message = (error as Error).message;
    expect(message).toContain(`${file}: warn: expected a duration like "45m", "24h", "14d" or "2w"`);
    expect(message).toContain(`${file}: require[0]: expected a provider id`);
    expect(message).toContain(`${file}: providers.anthropic.warn:`);
    expect(message).toContain(`${file}: profiles["anthropic:manual"].lifetime: issuedAt and lifetime go together`);
    expect(message).toMatch(new RegExp(`${file}: Unrecognized key: "typo"`));
  });

  it('checks each channel against its own type and names the field inside it', async () => {
    const home = makeHome({
      'c.json5': JSON.stringify({
        channels: [
          { type: 'pager', name: 'a' },
          { type: 'email', name: 'b', smtp: { host: 5 }, from: 'a@example.com', to: ['b@example.com'] },
          { type: 'ntfy', name: 'c', topic: 'alerts', extra: 1 },
          { type: 'webhook', name: 'd', url: 'https://example.com/hook' },
        ],
      }),
    });
    const file = join(home, 'c.json5');
    const message = ((await loadConfig({ path: file, explicit: true }).catch((e: unknown) => e)) as Error).message;
    expect(message).toContain(`${file}: channels[0].type: Invalid discriminator value. Expected 'email' | 'ntfy' | 'webhook' | 'alertmanager' | 'command'`);
    expect(message).toContain(`${file}: channels[1].smtp.host: Invalid input: expected string, received number`);
    expect(message).toContain(`${file}: channels[2]: Unrecognized key: "extra"`);
    expect(message).not.toContain('channels[3]');

    const valid = makeHome({ 'c.json5': JSON.stringify({ channels: [{ type: 'ntfy', name: 'c', topic: 'alerts' }] }) });
    const { config } = await loadConfig({ path: join(valid, 'c.json5'), explicit: true });
    expect(config.channels).toEqual([{ type: 'ntfy', name: 'c', topic: 'alerts', url: 'https://ntfy.sh', timeout: 10_000 }]);
  });

  it('a syntax error names the file and position', async () => {
    const home = makeHome({ 'c.json5': '{ warn: "24h",\n  require: [ }' });
    await expect(loadConfig({ path: join(home, 'c.json5'), explicit: true })).rejects.toThrow(/c\.json5: not valid JSON5 \(syntax error at line 2/);
  });
});

describe('a full config', () => {
  it('every part of it parses', async () => {
    const full = {
      $schema: 'https://example.com/authwatch.schema.json',
      warn: '36h',
      require: ['anthropic'],
      policy: 'openclaw',
      strictRefreshable: true,
      providers: { anthropic: { warn: '2d' } },
      profiles: { 'anthropic:manual': { issuedAt: '2026-01-10', lifetime: '365d', warn: '7d' }, 'openai:x': { expiresAt: '2026-12-01T00:00:00Z' } },
      declared: [
        { id: 'a', provider: 'openai', file: '~/x.json', field: 'a.b', unit: 'ms' },
        { id: 'b', provider: 'openai', env: 'B_KEY', expiresAt: '2026-12-01T00:00:00Z' },
        { id: 'c', provider: 'openai', command: ['date', '+%s'], unit: 's' },
      ],
      openclaw: { fromCli: true, command: ['/usr/bin/node', 'openclaw.mjs'], agent: 'main', timeout: '30s' },
      schedule: '*/5 * * * *',
      daemon: { scrapeTtl: '10s', staleAfter: '1h' },
      metrics: { auth: { basic: { user: 'prom', password: { env: 'PROM_PASSWORD' } } } },
      channels: [
        { type: 'email', name: 'mail', smtp: { host: 'smtp.example.com', user: 'u', passwordEnv: 'SMTP_PASSWORD' }, from: 'a@example.com', to: ['b@example.com'] },
        { type: 'ntfy', name: 'phone', topic: 'alerts', tokenFile: 'ntfy-token' },
        { type: 'webhook', name: 'hook', url: 'https://example.com/hook', secretEnv: 'HOOK_SECRET' },
        { type: 'alertmanager', name: 'am', url: 'http://127.0.0.1:9093', resolveAfter: '1h' },
        { type: 'command', name: 'termux', command: ['termux-notification', '-t', '{title}'] },
      ],
      alerting: { repeat: { expiring: '12h' }, sendResolved: false, quietHours: { timeZone: 'Europe/Berlin', start: '22:00', end: '07:00' }, host: 'phone' },
    };
    const home = makeHome({ 'c.json5': JSON.stringify(full) });
    const { config } = await loadConfig({ path: join(home, 'c.json5'), explicit: true });
    expect(config.channels).toHaveLength(5);
    expect(config.declared).toHaveLength(3);
    expect(config.profiles['openai:x']?.expiresAt).toBe(Date.parse('2026-12-01T00:00:00Z'));
  });
});

describe('OpenClaw config: providers in use', () => {
  it("maps model refs to providers; a bare model name gets OpenClaw's default provider (openai), ids lower-cased", () => {
    expect(providerOfModelRef('anthropic/claude-opus-4-6')).toBe('anthropic');
    expect(providerOfModelRef('openrouter/meta/llama')).toBe('openrouter');
    expect(providerOfModelRef('Anthropic/claude')).toBe('anthropic');
    expect(providerOfModelRef('claude-opus-4-6')).toBe('openai');
    expect(providerOfModelRef('opus', new Map([['opus', 'anthropic']]))).toBe('anthropic');
    expect(providerOfModelRef('  ')).toBeNull();
  });

  it('utility model, the selected agent overrides, aliases, auth.order / auth.profiles and config keys', () => {
    const document = {
      agents: {
        defaults: { model: { primary: 'anthropic/a', fallbacks: ['openai/b'] }, utilityModel: 'Groq/small', models: { 'xai/grok': { alias: 'grok' } } },
        list: [{ id: 'work', default: true, model: { primary: 'MiniMax/m' } }, { id: 'other', model: 'google/g' }],
      },
      auth: { order: { Anthropic: ['anthropic:work', 7] }, profiles: { 'anthropic:work': { provider: 'anthropic', mode: 'token' } } },
      models: { providers: { mistral: { apiKey: 'k' }, empty: { apiKey: ' ' } } },
    };
    const read = providerUsesOf(document, null);
    // The default agent's own primary replaces the defaults' (and, with no fallbacks of its own, theirs).
    expect(read.uses.map((u) => `${u.role}:${u.provider}`)).toEqual(['model:minimax', 'utility model:groq']);
    expect(providerUsesOf(document, 'other').uses.map((u) => u.provider)).toEqual(['google', 'groq']);
    expect(providerUsesOf({ agents: { defaults: { model: 'grok' } } }, null).uses[0]!.provider).toBe('openai');
    expect(providerUsesOf({ agents: { defaults: { model: 'grok', models: { 'xai/grok-4': { alias: 'grok' } } } } }, null).uses[0]!.provider).toBe('xai');
    expect(read.auth.order).toEqual({ anthropic: ['anthropic:work'] });
    expect(read.auth.profiles).toEqual({ 'anthropic:work': { provider: 'anthropic', mode: 'token' } });
    expect([...read.configKeys]).toEqual(['mistral']);
    // No model at all: OpenClaw's default model is in use.
    expect(providerUsesOf({}, null).uses).toEqual([{ provider: 'openai', model: 'openai/gpt-6-astra', role: 'default model' }]);
    expect(providerUsesOf({ agents: { defaults: { utilityModel: '' } } }, null).uses.map((u) => u.provider)).toEqual(['openai']);
  });

  it("no openclaw.json: OpenClaw's default model", async () => {
    const read = await readOpenclawConfig(contextFor(makeHome()));
    expect(read.found).toBe(false);
    expect(read.uses.map((u) => u.model)).toEqual(['openai/gpt-6-astra']);
  });

  it('collects primary, fallbacks and the image model from openclaw.json (JSON5)', async () => {
    const home = makeHome({
      '.openclaw/openclaw.json':
        "{ agents: { defaults: { model: { primary: 'anthropic/claude-opus-4-6', fallbacks: ['openai/gpt-5', 'anthropic/claude-sonnet'] }, imageModel: 'google/gemini-3' } }, }",
    });
    const read = await readOpenclawConfig(contextFor(home));
    expect(read.uses.map((r) => `${r.role}:${r.provider}`)).toEqual(['model:anthropic', 'fallback:openai', 'fallback:anthropic', 'image model:google']);
    expect(read.problem).toBeNull();
  });

  it('honours $OPENCLAW_CONFIG_PATH and reports a broken file', async () => {
    const home = makeHome({ 'oc.json': '{ agents: ' });
    const read = await readOpenclawConfig(contextFor(home, { OPENCLAW_CONFIG_PATH: join(home, 'oc.json') }));
    expect(read.problem).toMatch(/oc\.json: not valid JSON5/);
    expect(read.visit.ok).toBe(false);
  });
});

describe('defaults written out', () => {
  it('the alerting default is what the schema makes of `alerting: {}` (and of a config without it)', async () => {
    expect(alertingSchema.parse({})).toEqual(defaultAlerting);
    const home = makeHome();
    const { config } = await loadConfig(locateConfig(undefined, {}, home));
    expect(config.alerting).toEqual(alertingSchema.parse({}));
  });

  it('no config file means exactly what `{}` parses to, each time a fresh copy', async () => {
    const { config } = await loadConfig(locateConfig(undefined, {}, makeHome()));
    expect(config).toStrictEqual(parseConfig({}, 'c.json5'));
    expect(defaultConfig()).toStrictEqual(config);
    expect(defaultConfig().alerting.repeat).not.toBe(defaultConfig().alerting.repeat);
    expect(defaultConfig().openclaw.command).not.toBe(defaultConfig().openclaw.command);
  });
});

describe('config date-times', () => {
  const parseAt = (expiresAt: string) => parseConfig({ profiles: { 'openai:x': { expiresAt } } }, 'c.json5').profiles['openai:x']?.expiresAt;

  it('a date-time without an offset is refused, naming the field and the fix', () => {
    for (const text of ['2026-12-02T12:00:00', '2026-12-02T12:00', '2026-12-02 12:00:00.5']) {
      expect(() => parseAt(text), text).toThrow(AuthwatchError);
      expect(() => parseAt(text), text).toThrow(/profiles\["openai:x"\]\.expiresAt: .*add Z or \+01:00/);
    }
    expect(parseAt('2026-12-02')).toBe(Date.UTC(2026, 11, 2));
    expect(parseAt('2026-12-02T12:00:00+01:00')).toBe(Date.UTC(2026, 11, 2, 11));
  });

  it('a date that does not exist is refused, not rolled over into the next month (config and declared entries)', () => {
    for (const text of ['2027-02-29', '2026-11-31T10:00:00Z', '2026-02-30T00:00:00+01:00', '2026-13-01', '2026-11-25T25:00:00Z']) {
      expect(() => parseAt(text), text).toThrow(/profiles\["openai:x"\]\.expiresAt: .*(not a real date|ISO-8601)/);
    }
    expect(parseAt('2028-02-29')).toBe(Date.UTC(2028, 1, 29));
    for (const text of ['2027-02-29T00:00:00Z', '2026-11-31T00:00:00Z']) {
      expect(() => parseConfig({ declared: [{ id: 'x', provider: 'p', env: 'X_KEY', expiresAt: text }] }, 'c.json5'), text).toThrow(/declared\[0\]\.expiresAt/);
    }
  });

  it('a date-time with Z means the same instant under every TZ', () => {
    const saved = process.env.TZ;
    try {
      const seen = ['UTC', 'Pacific/Auckland', 'America/Los_Angeles'].map((zone) => {
        process.env.TZ = zone; // Node applies a changed TZ at once
        return { local: Date.parse('2026-12-02T12:00:00'), parsed: parseAt('2026-12-02T12:00:00Z') };
      });
      expect(new Set(seen.map((s) => s.local)).size).toBe(3); // the zones really differed
      for (const { parsed } of seen) expect(parsed).toBe(Date.UTC(2026, 11, 2, 12));
    } finally {
      if (saved === undefined) delete process.env.TZ;
      else process.env.TZ = saved;
    }
  });
});

describe('a bad live section names the field and what to write (not just "live: Invalid input")', () => {
  const message = (live: unknown) => {
    try {
      parseConfig({ live }, 'c.json5');
    } catch (error) {
      return (error as Error).message;
    }
    throw new Error('parsed');
  };

  it('says what is wrong inside the settings object, field by field', () => {
    expect(message({ enabled: 'yes', interval: 'soon' })).toBe(
      'invalid config:\n  c.json5: live.enabled: Invalid input: expected boolean, received string\n  c.json5: live.interval: expected a duration like "45m", "24h", "14d" or "2w"',
    );
    expect(message({ providers: { openai: { enabled: 'x' } } })).toContain('c.json5: live.providers.openai.enabled: Invalid input: expected boolean, received string');
    expect(message({ profiles: { 'anthropic:me': {} } })).toContain('c.json5: live.profiles["anthropic:me"].enabled: Invalid input: expected boolean, received undefined');
  });

  it('a value of neither shape says both shapes; another union (metrics.auth) is described the same way', () => {
    expect(message('yes')).toBe('invalid config:\n  c.json5: live: Invalid input: expected boolean or object, received string');
    expect(() => parseConfig({ metrics: { auth: { bearerToken: 5 } } }, 'c.json5')).toThrow(/c\.json5: metrics\.auth\.bearerToken: Invalid input: expected object, received number$/);
  });

  it('from a file: the line, and the key it resembles', async () => {
    const home = makeHome({ 'c.json5': '{\n  live: {\n    quotaWarns: 90,\n  },\n}\n' });
    await expect(loadConfig({ path: join(home, 'c.json5'), explicit: true })).rejects.toThrow('live: Unrecognized key: "quotaWarns" (did you mean "quotaWarn"?) (line 3, column 5)');
  });
});

describe('live.quotaThresholds', () => {
  it('defaults to 75, 90 and 100 %, takes a list, and names the field of a bad one', () => {
    const live = (value: unknown) => parseConfig({ live: { quotaThresholds: value } }, 'c.json5').live;
    expect(parseConfig({ live: {} }, 'c.json5').live).toMatchObject({ quotaThresholds: [75, 90, 100] });
    expect(live([50, 95])).toMatchObject({ quotaThresholds: [50, 95] });
    expect(() => live([90, 90])).toThrow(/live\.quotaThresholds: each threshold once/);
    expect(() => live([0])).toThrow(/live\.quotaThresholds\[0\]/);
    expect(() => live([120])).toThrow(/live\.quotaThresholds\[0\]/);
    expect(() => live([])).toThrow(/live\.quotaThresholds/);
  });

  it('a management key is for OpenRouter only, and given by reference', () => {
    const providers = (value: unknown) => parseConfig({ live: { providers: value } }, 'c.json5').live;
    expect(providers({ openrouter: { managementKey: { env: 'OR_MGMT' } } })).toMatchObject({ providers: { openrouter: { managementKey: { env: 'OR_MGMT' } } } });
    expect(() => providers({ openai: { managementKey: { env: 'X' } } })).toThrow(/live\.providers\.openai\.managementKey: only openrouter/);
    expect(() => providers({ openrouter: { managementKey: { env: 'OR_MGMT', file: 'or-mgmt' } } })).toThrow(/live\.providers\.openrouter\.managementKey: give exactly one of file or env/);
  });
});
