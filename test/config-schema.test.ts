// The JSON Schema shipped for editors (dist/config.schema.json, generated from the zod schema by
// the build) says the same as the config loader about the config's shape.
import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { notifiers, channelSchema } from '../src/alerts/index.js';
import { configSchema } from '../src/config/schema.js';

const shipped = JSON.parse(readFileSync(new URL('../dist/config.schema.json', import.meta.url), 'utf8'));
const validate = new Ajv2020({ strict: false, allErrors: true }).compile(shipped);

const full = {
  $schema: './node_modules/authwatch/dist/config.schema.json',
  warn: '36h',
  require: ['anthropic'],
  policy: 'openclaw',
  profiles: { 'anthropic:manual': { issuedAt: '2026-01-10', lifetime: '365d' } },
  declared: [{ id: 'a', provider: 'openai', file: '~/x.json', field: 'a.b', unit: 'ms' }],
  openclaw: { fromCli: true, command: ['/usr/bin/node', 'openclaw.mjs'], timeout: '30s' },
  metrics: { auth: { bearerToken: { file: '/etc/authwatch/scrape-token' } } },
  channels: [
    { type: 'email', name: 'mail', smtp: { host: 'smtp.example.com', user: 'u', passwordEnv: 'SMTP_PASSWORD' }, from: 'a@example.com', to: ['b@example.com'] },
    { type: 'ntfy', name: 'phone', topic: 'alerts', tokenFile: 'ntfy-token' },
    { type: 'command', name: 'termux', command: ['termux-notification', '-t', '{title}'] },
  ],
  alerting: { repeat: { expiring: '12h' }, quietHours: { timeZone: 'Europe/Berlin', start: '22:00', end: '07:00' } },
  live: { interval: '2h', providers: { openrouter: { baseUrl: 'https://openrouter.ai/api/v1' } } },
};

const cases: [string, unknown][] = [
  ['a full config', full],
  ['an empty one', {}],
  ['an unknown key', { typo: true }],
  ['an unknown channel type', { channels: [{ type: 'pager', name: 'a' }] }],
  ['a field of another channel type', { channels: [{ type: 'ntfy', name: 'a', topic: 't', smtp: {} }] }],
  ['a secret inline', { channels: [{ type: 'ntfy', name: 'a', topic: 't', token: 'tk_x' }] }],
  ['a channel without its name', { channels: [{ type: 'ntfy', topic: 't' }] }],
  ['a policy that does not exist', { policy: 'strict' }],
  ['a number where a duration goes', { warn: 24 }],
  ['a provider id with capitals', { require: ['Anthropic'] }],
];

describe('the shipped JSON Schema of the config', () => {
  it.each(cases)('%s: the schema and the loader agree', (_what, config) => {
    expect(validate(config), JSON.stringify(validate.errors)).toBe(configSchema.safeParse(config).success);
  });

  it('names every channel type the loader knows', () => {
    const types = shipped.properties.channels.items.oneOf ?? shipped.properties.channels.items.anyOf;
    expect(types.map((option: { properties: { type: { const: string } } }) => option.properties.type.const).sort()).toEqual(Object.keys(notifiers).sort());
    expect(channelSchema.def.options).toHaveLength(Object.keys(notifiers).length);
  });
});
