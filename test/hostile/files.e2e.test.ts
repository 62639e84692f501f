import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { saveState } from '../../src/alerts/store.js';
import { emptyState } from '../../src/alerts/decide.js';
import { writeFileAtomic } from '../../src/core/atomic-write.js';
import { runCli } from '../helpers/cli.js';
import { DAY, NOW, NOW_ISO } from '../helpers/clock.js';
import { agentStore, makeHome } from '../helpers/home.js';

// Hostile files: a shared directory with names planted in it, things that are not regular
// files where authwatch reads or writes, configs and secrets others could have written, and
// tokens pasted where an argument goes. Every case is bounded: a hang fails it.
const bounded = { timeout: 30_000 };
const asRoot = process.getuid?.() === 0;
const other = 65534; // nobody: a second user, for the cases that need one (the suite runs as root)

const VICTIM = 'VICTIM-CONTENTS-must-stay';

/** A file another user cares about, which a planted symlink points at. */
function plantVictim(dir: string): { path: string; untouched: () => void } {
  const path = join(dir, 'victim');
  writeFileSync(path, VICTIM, { mode: 0o644 });
  chmodSync(path, 0o644);
  const before = statSync(path);
  return {
    path,
    untouched: () => {
      expect(readFileSync(path, 'utf8')).toBe(VICTIM);
      const after = statSync(path);
      expect(after.mode & 0o7777).toBe(before.mode & 0o7777);
      expect(after.ino).toBe(before.ino);
    },
  };
}

/** The names a writer with a predictable temp name would use: `.name.tmp`, `name.tmp`, `.name.<pid>.tmp` for the next pids. */
function plantPredictableNames(dir: string, name: string, target: string, pids: number[]): void {
  for (const candidate of [`.${name}.tmp`, `${name}.tmp`, `${name}~`, ...pids.map((pid) => `.${name}.${pid}.tmp`)]) symlinkSync(target, join(dir, candidate));
}

const nextPids = (count: number) => {
  const last = Number(readFileSync('/proc/sys/kernel/ns_last_pid', 'utf8'));
  return Array.from({ length: count }, (_, i) => last + 1 + i);
};

const homeWithProfile = (files: Record<string, string | { text: string; mode?: number }> = {}) =>
  makeHome({
    [agentStore('main')]: { json: { version: 1, profiles: { 'anthropic:default': { type: 'token', provider: 'anthropic', token: 'sk-ant-oat01-x', expires: NOW + 30 * DAY } } } },
    ...files,
  });

const check = (home: string, args: string[], extra: { uid?: number; env?: Record<string, string> } = {}) =>
  runCli(['check', '--send', '--now', NOW_ISO, ...args], { home, timeoutMs: 20_000, ...extra });

describe('writing into a shared directory', () => {
  it('symlinks at every predictable temp name and at the target: the victim is untouched, the target a fresh file', bounded, () => {
    const dir = makeHome();
    const victim = plantVictim(dir);
    const target = join(dir, 'authwatch.prom');
    plantPredictableNames(dir, 'authwatch.prom', victim.path, [process.pid, ...nextPids(50)]);
    symlinkSync(victim.path, target);
    writeFileAtomic(target, 'metrics 1\n', { mode: 0o644, durable: false });
    victim.untouched();
    expect(lstatSync(target).isFile()).toBe(true);
    expect(readFileSync(target, 'utf8')).toBe('metrics 1\n');
    expect(statSync(target).mode & 0o777).toBe(0o644);
  });

  it('check --textfile in a shared dir full of planted symlinks (the next 2000 pids): the victim is untouched', bounded, async () => {
    const home = homeWithProfile();
    const shared = join(home, 'textfile-collector');
    mkdirSync(shared, { mode: 0o1777 });
    const victim = plantVictim(home);
    plantPredictableNames(shared, 'authwatch.prom', victim.path, nextPids(2000));
    const textfile = join(shared, 'authwatch.prom');
    const run = await check(home, ['--textfile', textfile]);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    victim.untouched();
    expect(readFileSync(textfile, 'utf8')).toContain('authwatch_credential_status');
    // Nothing of ours is left behind: no temp file, and the planted links are not written through.
    expect(readdirSync(shared).filter((name) => !lstatSync(join(shared, name)).isSymbolicLink())).toEqual(['authwatch.prom']);
  });

  it('a FIFO at the target is replaced, never opened (the run does not hang)', bounded, async () => {
    const home = homeWithProfile();
    const textfile = join(home, 'authwatch.prom');
    execFileSync('mkfifo', [textfile]);
    const run = await check(home, ['--textfile', textfile]);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(lstatSync(textfile).isFile()).toBe(true);
    expect(readFileSync(textfile, 'utf8')).toContain('authwatch_credential_status');
  });

  it('a directory at the target: a clear error naming the textfile, nothing left behind', bounded, async () => {
    const home = homeWithProfile();
    const textfile = join(home, 'authwatch.prom');
    mkdirSync(textfile);
    const run = await check(home, ['--textfile', textfile]);
    expect(run.code).toBe(3);
    expect(run.stderr).toMatch(/cannot write the textfile '.*authwatch\.prom': a directory, not a file/);
    expect(run.stderr).not.toMatch(/\n\s+at /);
    expect(readdirSync(home).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });

  it.skipIf(!asRoot)('a directory the user cannot write: "permission denied" naming the textfile, exit 3', bounded, async () => {
    const home = homeWithProfile();
    chmodSync(join(home, agentStore('main')), 0o644);
    const readOnly = join(home, 'collector');
    mkdirSync(readOnly, { mode: 0o755 }); // root's: nobody cannot write in it
    const run = await check(home, ['--textfile', join(readOnly, 'authwatch.prom')], { uid: other });
    expect(run.code).toBe(3);
    expect(run.stderr).toMatch(/cannot write the textfile '.*collector\/authwatch\.prom': permission denied/);
    expect(readdirSync(readOnly)).toEqual([]);
  });

  it('a killed writer’s orphan is cleared; a planted symlink with an orphan’s name is unlinked, its target untouched', bounded, () => {
    const dir = makeHome();
    const victim = plantVictim(dir);
    const dead = 4_000_000; // above any pid_max: no such process
    writeFileSync(join(dir, `.state.json.${dead}.0123456789abcdef.tmp`), 'half-written');
    symlinkSync(victim.path, join(dir, `.state.json.${dead}.fedcba9876543210.tmp`));
    writeFileAtomic(join(dir, 'state.json'), '{}\n', { mode: 0o600, durable: true });
    expect(readdirSync(dir).sort()).toEqual(['state.json', 'victim']);
    victim.untouched();
  });

  it('the alert state: a symlink planted at state.json is replaced, not written through', bounded, async () => {
    const dir = makeHome();
    const victim = plantVictim(dir);
    symlinkSync(victim.path, join(dir, 'state.json'));
    plantPredictableNames(dir, 'state.json', victim.path, [process.pid]);
    await saveState(dir, emptyState());
    victim.untouched();
    expect(lstatSync(join(dir, 'state.json')).isFile()).toBe(true);
    expect(statSync(join(dir, 'state.json')).mode & 0o777).toBe(0o600);
  });

  it('the compiled-code cache: a symlink at its name is neither read nor written through', bounded, async () => {
    const home = homeWithProfile();
    const first = await check(home, []);
    const dir = join(home, '.cache/authwatch');
    const [name] = readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((n) => statSync(join(dir, n)).isFile());
    const victim = plantVictim(home);
    const cache = join(dir, name!);
    execFileSync('rm', [cache]);
    symlinkSync(victim.path, cache);
    expect(await check(home, [])).toEqual(first);
    victim.untouched();
    expect(lstatSync(cache).isFile()).toBe(true);
  });
});

describe('config and secret files others could have written', () => {
  const commandConfig = (marker: string) => `{ channels: [{ type: 'command', name: 'cmd', command: ['touch', '${marker}'] }] }`;

  it.each([
    ['writable by every user', 0o666, /every user \(mode 0666\)/],
    ['writable by its group', 0o664, /its group \(mode 0664\)/],
  ])('a config %s is refused, and its command channel never runs', bounded, async (_how, mode, words) => {
    const home = makeHome();
    const marker = join(home, 'ran');
    const config = join(home, 'config.json5');
    writeFileSync(config, commandConfig(marker));
    chmodSync(config, mode);
    const run = await runCli(['alert', 'test', '--config', config], { home, timeoutMs: 20_000 });
    expect(run.code).toBe(3);
    expect(run.stderr).toContain(`config ${config}`);
    expect(run.stderr).toMatch(words);
    expect(run.stderr).toContain(`fix: chmod go-w ${config}`);
    expect(existsSync(marker)).toBe(false);
  });

  it('a config owned by another (non-root) user is refused, naming the owner and the fix', bounded, async () => {
    const home = makeHome();
    const marker = join(home, 'ran');
    const config = join(home, 'config.json5');
    writeFileSync(config, commandConfig(marker), { mode: 0o644 });
    chownSync(config, 4242, 4242);
    const run = await runCli(['alert', 'test', '--config', config], { home, timeoutMs: 20_000 });
    expect(run.code).toBe(3);
    expect(run.stderr).toMatch(new RegExp(`belongs to uid 4242.*fix: chown ${process.getuid?.()} ${config}`));
    expect(existsSync(marker)).toBe(false);
  });

  it.skipIf(!asRoot)('a root-owned, read-only config is read by a service user (the system-unit case)', bounded, async () => {
    const home = homeWithProfile();
    chmodSync(join(home, agentStore('main')), 0o644);
    const config = join(home, 'config.json5');
    writeFileSync(config, "{ warn: '10d' }", { mode: 0o644 });
    const run = await check(home, ['--config', config, '--json'], { uid: other });
    expect(run.stderr).toBe('');
    expect(JSON.parse(run.stdout).status).toBe('ok');
  });

  it('a symlink to a world-writable config is judged by what it points at: refused', bounded, async () => {
    const home = makeHome();
    const real = join(home, 'real.json5');
    writeFileSync(real, '{}');
    chmodSync(real, 0o666);
    symlinkSync(real, join(home, 'config.json5'));
    const run = await check(home, ['--config', join(home, 'config.json5')]);
    expect(run.code).toBe(3);
    expect(run.stderr).toMatch(/writable by every user/);
  });

  it.each([
    ['a FIFO', (path: string) => execFileSync('mkfifo', [path]), /a named pipe \(FIFO\), not a regular file/],
    ['a directory', (path: string) => mkdirSync(path), /a directory, not a file/],
    ['a device', (path: string) => symlinkSync('/dev/zero', path), /a device, not a regular file/],
    ['over the size limit', (path: string) => writeFileSync(path, `{ warn: '1d' }${' '.repeat(5 * 1024 * 1024)}`, { mode: 0o600 }), /5 MB, over the 4 MB limit for a credential file/],
  ])('a config that is %s is refused at once', bounded, async (_what, make, words) => {
    const home = makeHome();
    const config = join(home, 'config.json5');
    make(config);
    const run = await check(home, ['--config', config]);
    expect(run.code).toBe(3);
    expect(run.stderr).toMatch(new RegExp(`cannot read config .*config\\.json5: ${words.source}`));
  });

  it('a secret file writable by others is refused, naming the field, the file and the fix; the secret is never shown', bounded, async () => {
    const home = makeHome();
    const secret = join(home, 'ntfy-token');
    writeFileSync(secret, 'PLANTEDSECRETTOKEN');
    chmodSync(secret, 0o646);
    const config = join(home, 'config.json5');
    writeFileSync(config, `{ channels: [{ type: 'ntfy', name: 'phone', url: 'http://127.0.0.1:9', topic: 't', tokenFile: '${secret}' }] }`, { mode: 0o600 });
    const run = await runCli(['alert', 'test', '--config', config], { home, timeoutMs: 20_000 });
    expect(run.code).toBe(3);
    expect(run.stdout + run.stderr).toMatch(new RegExp(`tokenFile: cannot read ${secret}: it is writable by every user \\(mode 0646\\).*fix: chmod go-w ${secret}`));
    expect(run.stdout + run.stderr).not.toContain('PLANTED');
  });

  it("a FIFO in $CREDENTIALS_DIRECTORY does not hang the run: refused, naming the field and the file", bounded, async () => {
    const home = makeHome();
    const credentials = join(home, 'credentials');
    mkdirSync(credentials, { mode: 0o700 });
    execFileSync('mkfifo', [join(credentials, 'ntfy-token')]);
    const config = join(home, 'config.json5');
    writeFileSync(config, "{ channels: [{ type: 'ntfy', name: 'phone', url: 'http://127.0.0.1:9', topic: 't', tokenFile: 'ntfy-token' }] }", { mode: 0o600 });
    const run = await runCli(['alert', 'test', '--config', config], { home, timeoutMs: 20_000, env: { CREDENTIALS_DIRECTORY: credentials } });
    expect(run.code).toBe(3);
    expect(run.stdout + run.stderr).toMatch(/tokenFile: cannot read .*credentials\/ntfy-token: a named pipe \(FIFO\)/);
  });
});

describe('tokens pasted where an argument goes', () => {
  const token = `sk-ant-api03-${'PLANTEDSECRET'.repeat(7)}AA`;
  const shape = /\(an argument that looks like a token: sk-ant-…, (\d+) characters\)/;

  it.each([
    ['an unknown command', [token]],
    ['an unknown flag', ['check', `--${token}`]],
    ['a stray argument', ['check', token]],
    ['an unknown alert action', ['alert', token]],
    ['a --textfile path', ['check', '--send', '--now', NOW_ISO, '--textfile', `/nonexistent/${token}`]],
    ['a --config path', ['check', '--config', `/nonexistent/${token}.json5`]],
    ['an unknown install target', ['install', token]],
  ])('%s is described by its kind and length, never echoed', bounded, async (_what, args) => {
    const run = await runCli(args, { home: makeHome(), timeoutMs: 20_000 });
    expect(run.code).toBe(3);
    // The length is the whole argument's (a flag's dashes, a path's directories included).
    expect(Number(shape.exec(run.stderr)?.[1])).toBe(args.find((arg) => arg.includes(token))!.length);
    expect(run.stdout + run.stderr).not.toContain('PLANTED');
  });

  it('an ordinary unknown command is still quoted', bounded, async () => {
    const run = await runCli(['chek'], { home: makeHome(), timeoutMs: 20_000 });
    expect(run.code).toBe(3);
    expect(run.stderr).toContain("unknown command 'chek'");
  });
});

describe('every read bounded: status, uninstall, migrate and the state dir', () => {
  const fifo = (path: string) => execFileSync('mkfifo', [path]);
  const zero = (path: string) => symlinkSync('/dev/zero', path);

  it.each([
    ['openclaw.json is a FIFO', '.openclaw/openclaw.json', fifo],
    ['openclaw.json is /dev/zero', '.openclaw/openclaw.json', zero],
    ['the installed unit is a FIFO', '.config/systemd/user/authwatch-check.service', fifo],
    ['the installed unit is /dev/zero', '.config/systemd/user/authwatch.service', zero],
    ['the Termux job script is a FIFO', '.local/share/authwatch/authwatch-job.sh', fifo],
    ['the Termux job script is /dev/zero', '.local/share/authwatch/authwatch-job.sh', zero],
  ])('status answers when %s', bounded, async (_what, relative, make) => {
    const home = homeWithProfile();
    mkdirSync(join(home, relative, '..'), { recursive: true });
    make(join(home, relative));
    const run = await runCli(['status', '--json', '--now', NOW_ISO], { home, timeoutMs: 20_000 });
    expect(run.code, run.stderr).not.toBeNull(); // not killed by the timeout
    expect(run.code).not.toBe(3);
    expect(JSON.parse(run.stdout)).toHaveProperty('launchers');
  });

  it.each([
    ['a FIFO', fifo],
    ['/dev/zero', zero],
  ])('uninstall and migrate-openclaw-monitor say an installed file that is %s cannot be read, and do not hang', bounded, async (_what, make) => {
    const home = makeHome();
    const units = join(home, 'root', home, '.config/systemd/user');
    mkdirSync(units, { recursive: true });
    make(join(units, 'authwatch-check.service'));
    const migrate = await runCli(['migrate-openclaw-monitor', join(units, 'authwatch-check.service')], { home, timeoutMs: 20_000 });
    expect(migrate.code).toBe(3);
    expect(migrate.stderr).toMatch(/cannot read .*authwatch-check\.service: (a named pipe \(FIFO\)|a device), not a regular file/);
    const uninstall = await runCli(['uninstall', 'systemd', '--user', '--prefix', join(home, 'root')], { home, timeoutMs: 20_000 });
    expect(uninstall.code).toBe(3);
    expect(uninstall.stdout + uninstall.stderr).toMatch(/authwatch-check\.service: (a named pipe \(FIFO\)|a device), not a regular file/);
  });

  it('a sparse 150 MB file in the state dir is refused before a byte is read: the run stays quick and small', bounded, async () => {
    const home = homeWithProfile({ '.config/authwatch/config.json5': '{ channels: [{ name: "hook", type: "webhook", url: "http://127.0.0.1:9/hook" }] }' });
    const dir = join(home, '.local/state/authwatch');
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    for (const name of ['live.json', 'credentials.json', 'last-run.json']) {
      writeFileSync(join(dir, name), '');
      execFileSync('truncate', ['-s', '150M', join(dir, name)]);
    }
    const run = await runCli(['check', '--json', '--now', NOW_ISO], { home, timeoutMs: 20_000 });
    expect(run.code, run.stderr).toBe(0);
    const status = await runCli(['status', '--json', '--now', NOW_ISO], { home, timeoutMs: 20_000 });
    expect(JSON.parse(status.stdout).problems.join('\n')).toMatch(/last-run\.json cannot be read: 150 MB, over the 8 MB limit/);
    // The alert state too: refused, not read into memory.
    writeFileSync(join(dir, 'state.json'), '');
    execFileSync('truncate', ['-s', '150M', join(dir, 'state.json')]);
    const send = await runCli(['check', '--send', '--now', NOW_ISO], { home, timeoutMs: 20_000 });
    expect(send.stderr).toMatch(/state\.json cannot be read: 150 MB, over the 8 MB limit for a state file; fix: remove it/);
  });
});
