import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
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
/** Every file Node's compile cache keeps under `dir` (it makes one subdir per Node version). */
const cacheFiles = (dir: string): string[] =>
  existsSync(dir) ? readdirSync(dir, { recursive: true, encoding: 'utf8' }).map((name) => join(dir, name)).filter((path) => statSync(path).isFile()) : [];

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

describe("Node's compile cache of authwatch runs (child processes)", () => {
  it('the first check keeps its compiled code in a 0700 dir; later checks use it and print the same', async () => {
    const home = homeWithProfiles();
    const dir = join(home, '.cache/authwatch');
    const first = await check(home);
    expect(first).toMatchObject({ code: 0, stderr: '' });
    expect(cacheFiles(dir).length).toBeGreaterThan(0);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(await check(home)).toEqual(first);
  });

  it('runs that load packages on demand still work from the cache (textfile: prom-client; JSON; debug logs: pino)', async () => {
    const home = homeWithProfiles();
    const textfile = join(home, 'authwatch.prom');
    await check(home);
    const run = await check(home, ['--textfile', textfile, '--json', '--log-level', 'debug']);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout).status).toBe('ok');
    expect(readFileSync(textfile, 'utf8')).toContain('authwatch_credential_status');
    expect(run.stderr).toContain('"level":20');
  });

  it('corrupt cache entries are ignored; a dir another user could write is not used', async () => {
    const home = homeWithProfiles();
    const dir = join(home, '.cache/authwatch');
    const reference = await check(home);
    for (const file of cacheFiles(dir)) writeFileSync(file, Buffer.alloc(statSync(file).size, 0x5a));
    expect(await check(home)).toEqual(reference);

    const shared = homeWithProfiles();
    const sharedDir = join(shared, '.cache/authwatch');
    mkdirSync(sharedDir, { recursive: true });
    chmodSync(sharedDir, 0o777);
    expect(await check(shared)).toMatchObject({ code: 0, stderr: '' });
    expect(cacheFiles(sharedDir)).toEqual([]);
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
    expect(cacheFiles(join(moved, 'xdg/authwatch')).length).toBeGreaterThan(0);
    expect(existsSync(join(moved, '.cache'))).toBe(false);
  });
});
