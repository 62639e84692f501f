import { spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { runProcess } from './helpers/cli.js';
import { HOUR } from './helpers/clock.js';
import { agentStore, makeHome } from './helpers/home.js';
import { findTool } from './helpers/tools.js';

// The package as users get it: `npm pack`, then `npm install -g ./authwatch-*.tgz` into a temp
// prefix — no build step, no install script, no devDependencies — and the installed command run
// by its installer and by another user (`nobody`, when the suite runs as root).

const repo = fileURLToPath(new URL('..', import.meta.url));
const npmPath = findTool('npm');
const work = mkdtempSync(join(tmpdir(), 'authwatch-package-'));
chmodSync(work, 0o755); // another user must reach the prefix, as with /usr/local
afterAll(() => rmSync(work, { recursive: true, force: true }));

const nodeDir = dirname(process.execPath);
const npm = (args: string[], cwd: string) =>
  // umask 022, as a package manager's global install expects: a root with umask 077 makes an
  // install no other user can read (npm keeps the process umask), see docs/scheduling.md.
  spawnSync('sh', ['-c', 'umask 022 && exec "$0" "$@"', npmPath!, ...args], {
    cwd,
    encoding: 'utf8',
    timeout: 120_000,
    env: { ...process.env, PATH: `${nodeDir}:${process.env.PATH}`, npm_config_update_notifier: 'false', npm_config_fund: 'false', npm_config_audit: 'false' },
  });

const nobody = process.getuid?.() === 0 ? readFileSync('/etc/passwd', 'utf8').match(/^nobody:[^:]*:(\d+):(\d+):/m) : null;

describe.runIf(Boolean(npmPath) && existsSync(join(repo, 'dist/cli/main.js')))('the npm package (child processes)', () => {
  it('packs dist/ and the templates, installs with no install script and no devDependencies, and the installed command works for every user', async () => {
    // The suite built dist/ already (pretest): pack it as it is, without rebuilding under running tests.
    const pack = npm(['pack', '--ignore-scripts', '--json', '--pack-destination', work], repo);
    expect(pack.status, pack.stderr).toBe(0);
    const [packed] = JSON.parse(pack.stdout) as [{ filename: string; files: { path: string }[] }];
    const files = packed.files.map((f) => f.path);
    expect(files).toEqual(expect.arrayContaining(['dist/cli/main.js', 'dist/cli/authwatch.js', 'dist/package.json', 'deploy/systemd/system/authwatch-check.service.in', 'termux/authwatch-job.sh.in', 'docs/uptime.md', 'README.md']));
    expect(files.filter((f) => /^(src|test|scripts|bench)\//.test(f))).toEqual([]);
    const tarball = join(work, packed.filename);
    const manifest = JSON.parse(spawnSync('tar', ['-xzOf', tarball, 'package/package.json'], { encoding: 'utf8' }).stdout);
    for (const script of ['preinstall', 'install', 'postinstall', 'prepare']) expect(manifest.scripts?.[script], script).toBeUndefined();

    const prefix = join(work, 'prefix');
    const install = npm(['install', '-g', '--prefix', prefix, '--prefer-offline', tarball], work);
    expect(install.status, install.stderr).toBe(0);
    expect(install.stderr).not.toMatch(/install-scripts|prepare|esbuild/);
    const installed = join(prefix, 'lib/node_modules/authwatch');
    const dependencies = readdirSync(join(installed, 'node_modules'));
    for (const dev of ['esbuild', 'typescript', 'vitest', '@types', 'fast-check']) expect(dependencies).not.toContain(dev);
    expect(dependencies).toEqual(expect.arrayContaining(['zod', 'json5', 'pino', 'croner']));
    const command = join(prefix, 'bin/authwatch');

    const home = makeHome({
      [agentStore('main')]: { json: { version: 1, profiles: { 'anthropic:default': { type: 'token', provider: 'anthropic', token: 'sk-ant-oat01-PLANTEDSECRET', expires: Date.now() + 72 * HOUR } } } },
    });
    const users: { who: string; uid?: number; home: string }[] = [{ who: 'the installer', home }];
    if (nobody) {
      // Another user with a home of their own, reading the package as installed.
      const theirs = makeHome({ [agentStore('main')]: { json: { version: 1, profiles: { 'anthropic:default': { type: 'token', provider: 'anthropic', token: 'sk-ant-oat01-PLANTEDSECRET', expires: Date.now() + 72 * HOUR } } } } });
      chmodSync(theirs, 0o755);
      spawnSync('chown', ['-R', `${nobody[1]}:${nobody[2]}`, theirs]);
      chownSync(theirs, Number(nobody[1]), Number(nobody[2]));
      users.push({ who: 'nobody', uid: Number(nobody[1]), home: theirs });
    }
    for (const user of users) {
      const run = (args: string[]) =>
        runProcess(command, args, { env: { PATH: `${nodeDir}:/usr/bin:/bin`, HOME: user.home, TZ: 'UTC' }, ...(user.uid !== undefined ? { uid: user.uid } : {}), timeoutMs: 30_000 });
      const check = await run(['check']);
      expect(check, user.who).toMatchObject({ code: 0, stderr: '' });
      expect(check.stdout, user.who).toMatch(/anthropic:default\s.*\sok\s/);
      // Twice: the second run loads the compiled code the first one kept in the user's own cache.
      expect((await run(['check'])).code, user.who).toBe(0);
      expect(readdirSync(join(user.home, '.cache/authwatch'), { recursive: true }).length, user.who).toBeGreaterThan(0);

      const unit = await run(['install', 'systemd', '--user', '--dry-run']);
      expect(unit.code, `${user.who}: ${unit.stderr}`).toBe(0);
      expect(unit.stdout).toContain(`ExecStart=${process.execPath} ${join(installed, 'dist/cli/main.js')} check`);
      // `npx authwatch` finds the global install (no clone, no npx cache install, no chmod of someone else's file).
      const npx = spawnSync(join(dirname(npmPath!), 'npx'), ['--no-install', 'authwatch', '--version'], {
        cwd: user.home,
        encoding: 'utf8',
        timeout: 60_000,
        env: { PATH: `${nodeDir}:/usr/bin:/bin`, HOME: user.home, npm_config_prefix: prefix, npm_config_update_notifier: 'false' },
        ...(user.uid !== undefined ? { uid: user.uid, gid: Number(nobody![2]) } : {}),
      });
      expect(npx.stdout, `${user.who}: ${npx.stderr}`).toBe(`${manifest.version}\n`);
      const termux = await run(['install', 'termux', '--dry-run', '--prefix', join(user.home, 'termux-prefix')]);
      expect(termux.code, `${user.who}: ${termux.stderr}`).toBe(0);
      expect(termux.stdout).toContain(join(installed, 'dist/cli/main.js'));
    }
    // The system units point at the installed copy too.
    const system = await runProcess(command, ['install', 'systemd', '--system', '--dry-run', '--prefix', join(work, 'root')], { env: { PATH: `${nodeDir}:/usr/bin:/bin`, HOME: home, TZ: 'UTC' } });
    expect(system.code, system.stderr).toBe(0);
    expect(system.stdout).not.toContain('warning:');
    if (nobody) {
      // Installed by root under umask 077: other users cannot read it, and the installer refuses units that would run it as one.
      const closed = join(work, 'closed');
      const install077 = spawnSync('sh', ['-c', 'umask 077 && exec "$0" "$@"', npmPath!, 'install', '-g', '--prefix', closed, '--prefer-offline', tarball], { cwd: work, encoding: 'utf8', timeout: 120_000, env: { ...process.env, PATH: `${nodeDir}:${process.env.PATH}`, npm_config_update_notifier: 'false' } });
      expect(install077.status, install077.stderr).toBe(0);
      const refused = await runProcess(join(closed, 'bin/authwatch'), ['install', 'systemd', '--system', '--dry-run', '--run-as', 'nobody'], { env: { PATH: `${nodeDir}:/usr/bin:/bin`, HOME: home, TZ: 'UTC' } });
      expect(refused.code, refused.stdout).toBe(3);
      expect(refused.stderr).toContain(`--run-as nobody: the units would read authwatch from ${closed}`);
      expect(refused.stderr).toContain('nobody cannot');
      // The plain install above is accepted for nobody.
      expect((await runProcess(command, ['install', 'systemd', '--system', '--dry-run', '--run-as', 'nobody'], { env: { PATH: `${nodeDir}:/usr/bin:/bin`, HOME: home, TZ: 'UTC' } })).code).toBe(0);
    }
    expect(system.stdout).toMatch(new RegExp(`^ExecStart=${process.execPath.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} ${join(installed, 'dist/cli/main.js').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} check`, 'm'));
  }, 240_000);
});
