import { chmodSync, existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileCacheDir } from '../src/cli/compile-cache.js';
import { runCli } from './helpers/cli.js';
import { DAY, NOW, NOW_ISO } from './helpers/clock.js';
import { agentStore, makeHome } from './helpers/home.js';

const homeWithProfiles = () =>
  makeHome({
    [agentStore('main')]: {
      json: { version: 1, profiles: { 'anthropic:default': { type: 'token', provider: 'anthropic', token: 'sk-ant-oat01-x', expires: NOW + 3 * DAY } } },
    },
  });
const check = (home: string, args: string[] = [], env: Record<string, string> = {}) => runCli(['check', '--now', NOW_ISO, ...args], { home, env });
const cacheFiles = (dir: string) => (existsSync(dir) ? readdirSync(dir).filter((name) => name.endsWith('.v8cache')) : []);

describe('where compiled code is kept', () => {
  it("systemd's CacheDirectory, else XDG_CACHE_HOME, else ~/.cache; off like Node's own cache", () => {
    expect(compileCacheDir({ CACHE_DIRECTORY: '/var/cache/authwatch:/var/cache/other' }, '/home/a')).toBe('/var/cache/authwatch');
    expect(compileCacheDir({ XDG_CACHE_HOME: '/x/cache' }, '/home/a')).toBe('/x/cache/authwatch');
    expect(compileCacheDir({ XDG_CACHE_HOME: 'relative' }, '/home/a')).toBe('/home/a/.cache/authwatch');
    expect(compileCacheDir({}, '/home/a')).toBe('/home/a/.cache/authwatch');
    expect(compileCacheDir({}, undefined)).toBeUndefined();
    expect(compileCacheDir({}, '')).toBeUndefined();
    expect(compileCacheDir({ NODE_DISABLE_COMPILE_CACHE: '1', CACHE_DIRECTORY: '/var/cache/authwatch' }, '/home/a')).toBeUndefined();
  });
});

describe('compiled-code cache of check runs (child processes)', () => {
  it('the first check keeps its compiled code (0600 in a 0700 dir); later checks use it unchanged and print the same', async () => {
    const home = homeWithProfiles();
    const dir = join(home, '.cache/authwatch');
    const first = await check(home);
    expect(first).toMatchObject({ code: 0, stderr: '' });
    const [name] = cacheFiles(dir);
    expect(name).toMatch(new RegExp(`^check-[0-9a-f]{16}-${process.version}-${process.arch}\\.v8cache$`));
    const file = join(dir, name!);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const before = statSync(file);

    const second = await check(home);
    expect(second).toEqual(first);
    // An accepted cache is not written again; a rejected one would be replaced (a new inode).
    expect(statSync(file).ino).toBe(before.ino);
    expect(statSync(file).mtimeMs).toBe(before.mtimeMs);
  });

  it('runs that load packages on demand still work from the cache (textfile: prom-client; JSON; debug logs: pino)', async () => {
    const home = homeWithProfiles();
    const textfile = join(home, 'authwatch.prom');
    await check(home);
    expect(cacheFiles(join(home, '.cache/authwatch'))).toHaveLength(1);
    const run = await check(home, ['--textfile', textfile, '--json', '--log-level', 'debug']);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout).status).toBe('ok');
    expect(readFileSync(textfile, 'utf8')).toContain('authwatch_credential_status');
    expect(run.stderr).toContain('"level":20');
  });

  it('a corrupt, truncated or foreign-writable cache is ignored and replaced; an old build’s cache is removed', async () => {
    const home = homeWithProfiles();
    const dir = join(home, '.cache/authwatch');
    const reference = await check(home);
    const [name] = cacheFiles(dir);
    const file = join(dir, name!);
    const good = readFileSync(file);
    const damaged: [string, () => void][] = [
      ['random bytes', () => writeFileSync(file, Buffer.alloc(good.length, 0x5a))],
      ['truncated', () => writeFileSync(file, good.subarray(0, 100))],
      ['empty', () => writeFileSync(file, '')],
      ['group/world-writable', () => chmodSync(file, 0o666)],
    ];
    for (const [how, damage] of damaged) {
      damage();
      writeFileSync(join(dir, 'check-0000000000000000-v20.0.0-x64.v8cache'), 'old');
      expect(await check(home), how).toEqual(reference);
      expect(cacheFiles(dir), how).toEqual([name]);
      expect(statSync(file).mode & 0o777, how).toBe(0o600);
      expect(statSync(file).size, how).toBeGreaterThan(1000);
    }
  });

  it('a cache dir that cannot be made costs nothing but the saving; the cache can be turned off or moved', async () => {
    const blocked = homeWithProfiles();
    writeFileSync(join(blocked, '.cache'), 'a file where the cache dir would go');
    const run = await check(blocked);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(run.stdout).toContain('1 ok');

    const off = homeWithProfiles();
    expect((await check(off, [], { NODE_DISABLE_COMPILE_CACHE: '1' })).code).toBe(0);
    expect(existsSync(join(off, '.cache'))).toBe(false);

    const moved = homeWithProfiles();
    expect((await check(moved, [], { XDG_CACHE_HOME: join(moved, 'xdg') })).code).toBe(0);
    expect(cacheFiles(join(moved, 'xdg/authwatch'))).toHaveLength(1);
    expect(existsSync(join(moved, '.cache'))).toBe(false);
  });
});
