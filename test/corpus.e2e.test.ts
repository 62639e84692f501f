import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { cliPath, runCli } from './helpers/cli.js';
import { agentStore, makeHome } from './helpers/home.js';

const corpus = fileURLToPath(new URL('./corpus/', import.meta.url));
const NOW_ISO = '2026-11-24T12:00:00Z';
const broken = agentStore('broken');

/** One case of bad input: how to put it in place, and what the report must say about it. */
interface Case {
  name: string;
  setup: (home: string) => void;
  /** `null`: the file is fine and read as usual. */
  error: RegExp | null;
  /** Extra rows expected for this store (besides the file-level error). */
  exit: number;
  /** The broken row's status: `error` unless OpenClaw itself reads the entry (an unusable `expires` is that profile's own: issue 32). */
  status?: 'missing' | 'expired';
}

const fromCorpus = (file: string) => (home: string) => {
  mkdirSync(join(home, '.openclaw/agents/broken/agent'), { recursive: true });
  copyFileSync(join(corpus, 'store', file), join(home, broken));
};

const storeCases: Case[] = [
  { name: 'truncated JSON', setup: fromCorpus('truncated.json'), error: /not valid JSON: it ends too early/, exit: 1 },
  { name: 'UTF-8 with a BOM (valid)', setup: fromCorpus('bom.json'), error: null, exit: 0 },
  { name: 'UTF-16 with a BOM (valid)', setup: fromCorpus('utf16le.json'), error: null, exit: 0 },
  { name: 'null at the root', setup: fromCorpus('null-root.json'), error: /unexpected content: .*expected object/i, exit: 1 },
  { name: 'an array at the root', setup: fromCorpus('array-root.json'), error: /unexpected content/, exit: 1 },
  { name: 'a string at the root', setup: fromCorpus('string-root.json'), error: /unexpected content/, exit: 1 },
  { name: 'profiles is null', setup: fromCorpus('profiles-null.json'), error: /profiles: must be an object mapping profile ids to credentials/, exit: 1 },
  { name: 'profiles is an array', setup: fromCorpus('profiles-array.json'), error: /profiles: must be an object/, exit: 1 },
  { name: 'a profile that is a string', setup: fromCorpus('entry-string.json'), error: /profile "x:default" is not an object/, exit: 1 },
  { name: 'a number as a string', setup: fromCorpus('expires-number-as-string.json'), error: /expires must be a number of epoch milliseconds, found a string \(a number in quotes\)/, exit: 1, status: 'missing' },
  { name: 'Infinity (1e309)', setup: fromCorpus('expires-infinity.json'), error: /expires is not a finite number \(Infinity\)/, exit: 1, status: 'missing' },
  { name: 'NaN as a string', setup: fromCorpus('expires-nan-string.json'), error: /expires must be a number of epoch milliseconds, found a string/, exit: 1, status: 'missing' },
  { name: 'beyond the largest date (1e20)', setup: fromCorpus('expires-beyond-max.json'), error: /expires 1e20 is not a valid time: beyond the largest valid date/, exit: 1, status: 'missing' },
  { name: 'a negative expiry', setup: fromCorpus('expires-negative.json'), error: /expires is -1: not a valid time/, exit: 1, status: 'missing' },
  { name: 'a zero expiry', setup: fromCorpus('expires-zero.json'), error: /expires is 0: not a valid time/, exit: 1, status: 'missing' },
  { name: 'a far-future expiry (year 3000, valid)', setup: fromCorpus('expires-far-future.json'), error: null, exit: 0 },
  { name: 'seconds instead of milliseconds', setup: fromCorpus('expires-seconds.json'), error: /looks like seconds, not milliseconds/, exit: 1, status: 'expired' },
  { name: 'duplicate profile ids', setup: fromCorpus('duplicate-ids.json'), error: /profile id "x:default" appears more than once/, exit: 1 },
  // OpenClaw drops an entry of a type it does not know when it loads the store: shown, not counted (issue 32 §2).
  { name: 'an unknown credential type', setup: fromCorpus('unknown-type.json'), error: /unknown credential type "sso-magic"/, exit: 0 },
  {
    name: 'a 50 MB file',
    setup: (home) => {
      mkdirSync(join(home, '.openclaw/agents/broken/agent'), { recursive: true });
      writeFileSync(join(home, broken), Buffer.alloc(50 * 1024 * 1024, 0x20));
    },
    error: /50 MB, over the 4 MB limit for a credential file/,
    exit: 1,
  },
  {
    name: 'deep nesting (100,000 levels)',
    setup: (home) => {
      mkdirSync(join(home, '.openclaw/agents/broken/agent'), { recursive: true });
      writeFileSync(join(home, broken), `{"version":1,"profiles":${'['.repeat(100_000)}${']'.repeat(100_000)}}`);
    },
    error: /not valid JSON|profiles: must be an object/,
    exit: 1,
  },
  {
    name: 'a symlink loop',
    setup: (home) => {
      mkdirSync(join(home, '.openclaw/agents/broken/agent'), { recursive: true });
      symlinkSync('auth-profiles.json', join(home, broken));
    },
    error: /too many levels of symbolic links/,
    exit: 1,
  },
  {
    name: 'a FIFO',
    setup: (home) => {
      mkdirSync(join(home, '.openclaw/agents/broken/agent'), { recursive: true });
      spawnSync('mkfifo', [join(home, broken)]);
    },
    error: /a named pipe \(FIFO\), not a regular file/,
    exit: 1,
  },
  { name: 'a directory named like the file', setup: (home) => mkdirSync(join(home, broken), { recursive: true }), error: /a directory, not a file/, exit: 1 },
];

function goodHome() {
  return makeHome({ [agentStore('good')]: { json: { version: 1, profiles: { 'good:default': { type: 'api_key', provider: 'good', key: 'k' } } }, mode: 0o644 } });
}

describe('bad credential files (test/corpus/store and generated cases)', () => {
  for (const c of storeCases) {
    it(`${c.name}: ${c.error ? `${c.status ? `a ${c.status}` : 'an error'} row naming the file` : 'read as usual'}, the other agent still reported, exit ${c.exit}`, async () => {
      const home = goodHome();
      c.setup(home);
      const result = await runCli(['check', '--send', '--json', '--now', NOW_ISO], { home });
      expect(result.code).toBe(c.exit);
      expect(result.stderr).not.toMatch(/\n\s+at /);
      const json = JSON.parse(result.stdout);
      expect(json.profiles.find((p: any) => p.id === 'good:default')).toMatchObject({ status: 'ok' });
      const rows = json.profiles.filter((p: any) => p.agent === 'broken');
      if (c.error) {
        const errors = rows.filter((p: any) => p.status === (c.status ?? 'error'));
        expect(errors.length).toBeGreaterThan(0);
        expect(errors.some((p: any) => c.error!.test(p.detail) && p.detail.includes(join(home, broken)))).toBe(true);
      } else {
        expect(rows.map((p: any) => p.status)).toEqual(['ok']);
      }
      expect(result.stdout).not.toContain('PLANTEDSECRET');
    });
  }

  // As root every file is readable, so the check runs as an unprivileged user.
  const asRoot = process.getuid?.() === 0;
  const unprivilegedCanRun = !asRoot || spawnSync(process.execPath, ['-e', `require('fs').accessSync(${JSON.stringify(cliPath)})`], { uid: 65534, gid: 65534 }).status === 0;
  it.runIf(unprivilegedCanRun)('permission denied: an error row, the rest reported, exit 1', async () => {
    const home = goodHome();
    fromCorpus('bom.json')(home);
    chmodSync(join(home, broken), 0o000);
    const result = await runCli(['check', '--send', '--json', '--now', NOW_ISO], { home, ...(asRoot ? { uid: 65534 } : {}) });
    const json = JSON.parse(result.stdout);
    expect(result.code).toBe(1);
    expect(json.profiles.find((p: any) => p.agent === 'broken')).toMatchObject({ status: 'error', detail: `${join(home, broken)}: permission denied` });
    expect(json.profiles.find((p: any) => p.id === 'good:default')).toMatchObject({ status: 'ok' });
  });
});

describe('bad config files (test/corpus/config)', () => {
  const configCases: { file: string; exit: number; message: RegExp | null }[] = [
    { file: 'syntax-error.json5', exit: 3, message: /config\.json5: not valid JSON5 \(syntax error at line 2, column \d+\)/ },
    { file: 'wrong-types.json5', exit: 3, message: /config\.json5: warn: .*\n.*config\.json5: require: .*\n.*config\.json5: strictRefreshable: /s },
    { file: 'unknown-key.json5', exit: 3, message: /config\.json5: Unrecognized key: "warnWindow"/ },
    { file: 'bom.json5', exit: 0, message: null },
    { file: 'utf16le.json5', exit: 0, message: null },
    { file: 'empty.json5', exit: 3, message: /cannot read config .*config\.json5: empty file/ },
    { file: 'inline-secret.json5', exit: 3, message: /channels\[0\]\.smtp\.password: never put the password in the config file/ },
  ];
  for (const c of configCases) {
    it(`${c.file}: exit ${c.exit}${c.message ? ', naming the file and field' : ''}`, async () => {
      const home = goodHome();
      mkdirSync(join(home, '.config/authwatch'), { recursive: true });
      copyFileSync(join(corpus, 'config', c.file), join(home, '.config/authwatch/config.json5'));
      const result = await runCli(['check', '--send', '--now', NOW_ISO], { home });
      expect(result.code).toBe(c.exit);
      if (c.message) expect(result.stderr).toMatch(c.message);
      expect(result.stderr).not.toMatch(/\n\s+at |PLANTEDSECRET/);
    });
  }

  it('a directory where the config file should be: exit 3', async () => {
    const home = goodHome();
    mkdirSync(join(home, '.config/authwatch/config.json5'), { recursive: true });
    const result = await runCli(['check'], { home });
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(/config\.json5: a directory, not a file/);
  });
});
