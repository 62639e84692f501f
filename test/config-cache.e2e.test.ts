import { chmodSync, existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './helpers/cli.js';
import { DAY, NOW, NOW_ISO } from './helpers/clock.js';
import { agentStore, makeHome } from './helpers/home.js';

// The profile expires in 3 days: a 1-day warning window says ok (exit 0), a 7-day one expiring (exit 2).
const homeWithConfig = (warn: string) =>
  makeHome({
    [agentStore('main')]: {
      json: { version: 1, profiles: { 'anthropic:default': { type: 'token', provider: 'anthropic', token: 'sk-ant-oat01-x', expires: NOW + 3 * DAY } } },
    },
    '.config/authwatch/config.json5': `{ warn: "${warn}" }`,
  });
const check = (home: string, args: string[] = [], env: Record<string, string> = {}) => runCli(['check', '--now', NOW_ISO, ...args], { home, env });
const cacheDir = (home: string) => join(home, '.cache/authwatch');
const filesIn = (dir: string, suffix: string) => (existsSync(dir) ? readdirSync(dir).filter((name) => name.endsWith(suffix)).sort() : []);
const configFile = (home: string) => join(home, '.config/authwatch/config.json5');

describe('validated config kept between check runs (child processes)', () => {
  it('the first run keeps the validated config; the next keeps the compiled code; later runs rewrite neither and print the same', async () => {
    const home = homeWithConfig('1d');
    const first = await check(home);
    expect(first).toMatchObject({ code: 0, stderr: '' });
    const [kept] = filesIn(cacheDir(home), '.json');
    expect(kept).toMatch(new RegExp(`^config-[0-9a-f]{16}-${process.version}-[0-9a-f]{8}\\.json$`));
    expect(statSync(join(cacheDir(home), kept!)).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(join(cacheDir(home), kept!), 'utf8'))).toMatchObject({ path: configFile(home), config: { warn: DAY } });
    // That run compiled JSON5 and the schemas, which later runs skip: its code is not kept.
    expect(filesIn(cacheDir(home), '.v8cache')).toEqual([]);

    expect(await check(home)).toEqual(first);
    const [code] = filesIn(cacheDir(home), '.v8cache');
    expect(code).toBeDefined();
    const before = [statSync(join(cacheDir(home), kept!)), statSync(join(cacheDir(home), code!))];

    expect(await check(home)).toEqual(first);
    const after = [statSync(join(cacheDir(home), kept!)), statSync(join(cacheDir(home), code!))];
    expect(after.map((s) => [s.ino, s.mtimeMs])).toEqual(before.map((s) => [s.ino, s.mtimeMs]));
  });

  it('an edited config takes effect on the next run, and an invalid one is reported as ever', async () => {
    const home = homeWithConfig('1d');
    expect((await check(home)).code).toBe(0);
    expect((await check(home)).code).toBe(0);

    writeFileSync(configFile(home), '{ warn: "7d" }');
    const widened = await check(home);
    expect(widened.code).toBe(2);
    expect(widened.stdout).toContain('expiring');

    writeFileSync(configFile(home), '{ warn: "soon" }');
    const broken = await check(home);
    expect(broken.code).toBe(3);
    expect(broken.stderr).toContain(`${configFile(home)}: warn: expected a duration like "45m"`);

    writeFileSync(configFile(home), '{ warn: "1d" }');
    expect((await check(home)).code).toBe(0);
  });

  it('a cache that others could have written, or a damaged one, is ignored and replaced', async () => {
    const home = homeWithConfig('1d');
    await check(home);
    const [kept] = filesIn(cacheDir(home), '.json');
    const file = join(cacheDir(home), kept!);
    const good = readFileSync(file, 'utf8');
    // What an attacker (or a bug) would plant: the same text, but a 7-day window.
    const planted = JSON.stringify({ ...JSON.parse(good), config: { ...JSON.parse(good).config, warn: 7 * DAY } });
    const damage: [string, () => void][] = [
      ['group/world-writable', () => (writeFileSync(file, planted), chmodSync(file, 0o666))],
      ['not JSON', () => writeFileSync(file, '{"path":')],
      ['null', () => writeFileSync(file, 'null')],
      ['no config in it', () => writeFileSync(file, JSON.stringify({ ...JSON.parse(good), config: null }))],
    ];
    for (const [how, spoil] of damage) {
      spoil();
      expect((await check(home)).code, how).toBe(0);
      expect(statSync(file).mode & 0o777, how).toBe(0o600);
      expect(JSON.parse(readFileSync(file, 'utf8')), how).toEqual(JSON.parse(good));
    }
    // The same file with another config's text is not this config.
    writeFileSync(file, JSON.stringify({ ...JSON.parse(planted), text: '{ warn: "7d" }' }));
    expect((await check(home)).code).toBe(0);
  });

  it('two configs used in turn are kept side by side; configs of earlier builds are removed; no cache when caching is off', async () => {
    const home = homeWithConfig('1d');
    writeFileSync(join(home, 'wide.json5'), '{ warn: "7d" }');
    for (let round = 0; round < 2; round++) {
      expect((await check(home)).code).toBe(0);
      expect((await check(home, ['--config', join(home, 'wide.json5')])).code).toBe(2);
    }
    expect(filesIn(cacheDir(home), '.json')).toHaveLength(2);
    // Both configs were found kept in the second round, so the compiled code was kept too.
    expect(filesIn(cacheDir(home), '.v8cache')).toHaveLength(1);

    writeFileSync(join(cacheDir(home), 'config-0000000000000000-v20.0.0-00000000.json'), '{}');
    writeFileSync(configFile(home), '{ warn: "2d" }');
    expect((await check(home)).code).toBe(0);
    expect(filesIn(cacheDir(home), '.json')).toHaveLength(2);
    expect(filesIn(cacheDir(home), '.json').some((name) => name.startsWith('config-0000'))).toBe(false);

    const off = homeWithConfig('1d');
    expect((await check(off, [], { NODE_DISABLE_COMPILE_CACHE: '1' })).code).toBe(0);
    expect(existsSync(join(off, '.cache'))).toBe(false);
  });
});
