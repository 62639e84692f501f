import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { renderUnit, systemdQuote } from '../src/install/systemd.js';
import { cliPath, runCli } from './helpers/cli.js';
import { HOUR } from './helpers/clock.js';
import { agentStore, makeHome } from './helpers/home.js';
import { toolForTest } from './helpers/tools.js';

const systemdAnalyze = toolForTest('systemd-analyze');
const shellcheck = toolForTest('shellcheck');
const repo = fileURLToPath(new URL('..', import.meta.url));

/**
 * Recording stand-ins for programs that cannot exist here (no systemd bus, no Android): each
 * appends its name and arguments, one per line, to $RECORD and exits 0.
 */
function standIns(home: string, names: string[]): { bin: string; record: string; calls: () => string[] } {
  const bin = join(home, 'stand-ins');
  const record = join(home, 'calls.log');
  mkdirSync(bin, { recursive: true });
  for (const name of names) {
    writeFileSync(join(bin, name), `#!/bin/sh\nprintf '%s' "$(basename "$0")" >> "$RECORD"\nfor a in "$@"; do printf ' %s' "$a" >> "$RECORD"; done\necho >> "$RECORD"\n`);
    chmodSync(join(bin, name), 0o755);
  }
  const calls = () => (existsSync(record) ? readFileSync(record, 'utf8').trim().split('\n').filter(Boolean) : []);
  return { bin, record, calls };
}

const listTree = (dir: string): string[] =>
  existsSync(dir) ? readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name)).sort() : [];

describe('systemd units', () => {
  it('render with quoted paths, escaped % and explicit environment', () => {
    expect(systemdQuote('/opt/my app/%x')).toBe('"/opt/my app/%%x"');
    const text = renderUnit('ExecStart=@NODE@ @ENTRY@ check@CHECK_ARGS@\n@ENVIRONMENT@\n@CREDENTIALS@\nUser=@RUN_AS@\n', 'x', {
      mode: 'user',
      daemon: false,
      node: '/usr/bin/node',
      entry: '/home/a b/authwatch/dist/cli/main.js',
      environment: { HOME: '/home/a b', PATH: '/usr/bin:/bin' },
      checkArgs: ['--textfile', '/tmp/x.prom'],
      runAs: 'authwatch',
      credentials: [{ name: 'smtp-password', path: '/etc/authwatch/smtp-password' }],
    });
    expect(text).toBe(
      'ExecStart=/usr/bin/node "/home/a b/authwatch/dist/cli/main.js" check --textfile /tmp/x.prom\nEnvironment="HOME=/home/a b"\nEnvironment=PATH=/usr/bin:/bin\nUser=authwatch\n',
    );
  });

  it('install --user: writes the units, runs daemon-reload and enable --now; twice is the same; uninstall leaves nothing', async () => {
    const home = makeHome();
    const tools = standIns(home, ['systemctl']);
    const env = { PATH: `${tools.bin}:${process.env.PATH}`, RECORD: tools.record };
    const first = await runCli(['install', 'systemd', '--user'], { home, env });
    expect(first.code).toBe(0);
    const dir = join(home, '.config/systemd/user');
    const files = listTree(dir);
    expect(files).toEqual(['authwatch-check.service', 'authwatch-check.timer', 'authwatch-failure@.service'].map((f) => join(dir, f)));
    for (const file of files) expect(statSync(file).mode & 0o777).toBe(0o644);
    const service = readFileSync(join(dir, 'authwatch-check.service'), 'utf8');
    expect(service).toContain(`ExecStart=${process.execPath} ${cliPath} check\n`);
    expect(service).toContain(`Environment=HOME=${home}`);
    expect(service).toMatch(/^Environment=PATH=.*stand-ins/m);
    expect(service).toContain('OnFailure=authwatch-failure@%n.service');
    expect(tools.calls()).toEqual(['systemctl --user daemon-reload', 'systemctl --user enable --now authwatch-check.timer']);
    expect(first.stdout).toContain('loginctl enable-linger');

    const snapshot = files.map((f) => readFileSync(f, 'utf8'));
    expect((await runCli(['install', 'systemd', '--user'], { home, env })).code).toBe(0);
    expect(listTree(dir).map((f) => readFileSync(f, 'utf8'))).toEqual(snapshot);

    writeFileSync(tools.record, '');
    expect((await runCli(['uninstall', 'systemd', '--user'], { home, env })).code).toBe(0);
    expect(listTree(dir)).toEqual([]);
    expect(tools.calls()).toEqual(['systemctl --user disable --now authwatch-check.timer', 'systemctl --user daemon-reload']);
  });

  it('--dry-run writes and runs nothing', async () => {
    const home = makeHome();
    const tools = standIns(home, ['systemctl']);
    const result = await runCli(['install', 'systemd', '--user', '--daemon', '--dry-run'], { home, env: { PATH: `${tools.bin}:${process.env.PATH}`, RECORD: tools.record } });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`would write ${join(home, '.config/systemd/user/authwatch.service')}`);
    expect(result.stdout).toContain('ExecReload=/bin/kill -HUP $MAINPID');
    expect(result.stdout).toContain('would run: systemctl --user enable --now authwatch.service');
    expect(listTree(join(home, '.config'))).toEqual([]);
    expect(tools.calls()).toEqual([]);
  });

  it.runIf(Boolean(systemdAnalyze))('every rendered unit passes systemd-analyze verify (system and --user); the calendar is every 15 minutes', async () => {
    const home = makeHome();
    const prefix = join(home, 'root');
    mkdirSync(join(prefix, 'var/lib/prometheus/node-exporter'), { recursive: true });
    mkdirSync(join(prefix, 'etc/authwatch'), { recursive: true });
    writeFileSync(join(prefix, 'etc/authwatch/smtp-password'), 'x');
    for (const daemon of [false, true]) {
      const args = ['install', 'systemd', '--system', '--prefix', prefix, ...(daemon ? ['--daemon'] : [])];
      const result = await runCli(args, { home });
      expect(result.code).toBe(0);
      expect(result.stdout).toContain('would run: systemctl enable --now');
    }
    const systemDir = join(prefix, 'etc/systemd/system');
    const systemUnits = readdirSync(systemDir).sort();
    expect(systemUnits).toEqual(['authwatch-check.service', 'authwatch-check.timer', 'authwatch-failure@.service', 'authwatch.service']);
    const check = readFileSync(join(systemDir, 'authwatch-check.service'), 'utf8');
    for (const line of ['User=authwatch', 'StateDirectory=authwatch', 'CacheDirectory=authwatch', 'LoadCredential=smtp-password:/etc/authwatch/smtp-password', 'ProtectSystem=strict', 'ProtectHome=read-only', 'NoNewPrivileges=yes', 'PrivateTmp=yes', 'ReadWritePaths=-/var/lib/prometheus/node-exporter', 'SuccessExitStatus=1 2', 'TimeoutStartSec=2min']) {
      expect(check).toContain(line);
    }
    expect(check).toContain('check --textfile /var/lib/prometheus/node-exporter/authwatch.prom');
    const verify = spawnSync(systemdAnalyze!, ['verify', ...systemUnits.map((u) => join(systemDir, u))], { encoding: 'utf8' });
    expect(verify.stderr).toBe('');
    expect(verify.status).toBe(0);

    const userHome = makeHome();
    for (const daemon of [false, true]) expect((await runCli(['install', 'systemd', '--user', '--prefix', join(userHome, 'root'), ...(daemon ? ['--daemon'] : [])], { home: userHome })).code).toBe(0);
    const userDir = join(userHome, 'root', userHome, '.config/systemd/user');
    const runtime = mkdtempSync(join(tmpdir(), 'authwatch-runtime-'));
    const userVerify = spawnSync(systemdAnalyze!, ['--user', 'verify', ...readdirSync(userDir).map((u) => join(userDir, u))], {
      encoding: 'utf8',
      env: { ...process.env, XDG_RUNTIME_DIR: runtime },
    });
    expect(userVerify.stderr).toBe('');
    expect(userVerify.status).toBe(0);

    for (const unit of ['authwatch-check.service', 'authwatch.service']) {
      const security = spawnSync(systemdAnalyze!, ['security', '--offline=true', join(systemDir, unit)], { encoding: 'utf8' });
      const exposure = Number(/Overall exposure level for .*: (\d+\.\d+)/.exec(security.stdout + security.stderr)?.[1]);
      expect(exposure).toBeLessThan(4);
    }

    const calendar = spawnSync(systemdAnalyze!, ['calendar', '*:0/15', '--iterations=3'], { encoding: 'utf8' });
    expect(calendar.status).toBe(0);
    expect(calendar.stdout).toMatch(/Normalized form: \*-\*-\* \*:00\/15:00/);
    expect(readFileSync(join(systemDir, 'authwatch-check.timer'), 'utf8')).toMatch(/^OnCalendar=\*:0\/15$/m);
  });
});

describe('Termux', () => {
  /** A fake Termux: a PREFIX whose bin has sh and the recording termux-* programs. */
  function termuxHome(profiles: Record<string, unknown>) {
    const home = makeHome({ [agentStore('main')]: { json: { version: 1, profiles } } });
    const prefix = join(home, 'usr');
    const tools = standIns(home, ['termux-job-scheduler', 'termux-notification', 'termux-notification-remove', 'termux-toast', 'termux-wake-lock']);
    mkdirSync(join(prefix, 'bin'), { recursive: true });
    for (const name of readdirSync(tools.bin)) symlinkSync(join(tools.bin, name), join(prefix, 'bin', name));
    symlinkSync('/bin/sh', join(prefix, 'bin', 'sh'));
    const env = { PATH: `${join(prefix, 'bin')}:${process.env.PATH}`, RECORD: tools.record, PREFIX: prefix };
    return { home, prefix, tools, env };
  }

  it('install registers the 15-minute job and writes job, boot and widget scripts; twice is the same; uninstall cancels and removes', async () => {
    const { home, prefix, tools, env } = termuxHome({});
    const result = await runCli(['install', 'termux', '--prefix', prefix], { home, env });
    expect(result.code).toBe(0);
    const job = join(home, '.local/share/authwatch/authwatch-job.sh');
    const written = [job, join(home, '.termux/boot/authwatch'), join(home, '.shortcuts/tasks/authwatch-check')];
    for (const file of written) {
      expect(statSync(file).mode & 0o777).toBe(0o700);
      expect(readFileSync(file, 'utf8').split('\n')[0]).toBe(`#!${prefix}/bin/sh`);
    }
    expect(readFileSync(join(home, '.termux/boot/authwatch'), 'utf8')).toContain(`termux-job-scheduler --job-id 4711 -s "${job}" --period-ms 900000 --network any --persisted true`);
    expect(tools.calls()).toEqual([`termux-job-scheduler --job-id 4711 -s ${job} --period-ms 900000 --network any --persisted true`]);
    const snapshot = written.map((f) => readFileSync(f, 'utf8'));
    expect((await runCli(['install', 'termux', '--prefix', prefix], { home, env })).code).toBe(0);
    expect(written.map((f) => readFileSync(f, 'utf8'))).toEqual(snapshot);

    writeFileSync(tools.record, '');
    expect((await runCli(['uninstall', 'termux', '--prefix', prefix], { home, env })).code).toBe(0);
    expect(tools.calls()).toEqual(['termux-job-scheduler --cancel --job-id 4711']);
    for (const file of written) expect(existsSync(file)).toBe(false);
  });

  it('outside Termux without --prefix it refuses', async () => {
    const result = await runCli(['install', 'termux'], { home: makeHome() });
    expect(result.code).toBe(3);
    expect(result.stderr).toContain('this does not look like Termux');
  });

  it('the job script notifies about an expired credential (profile and status, no secret), and removes the notification once ok', async () => {
    const { home, prefix, tools, env } = termuxHome({
      'anthropic:default': { type: 'token', provider: 'anthropic', token: 'sk-ant-oat01-PLANTEDSECRET', expires: Date.now() - HOUR },
    });
    expect((await runCli(['install', 'termux', '--prefix', prefix], { home, env })).code).toBe(0);
    writeFileSync(tools.record, '');
    const job = join(home, '.local/share/authwatch/authwatch-job.sh');
    const run = spawnSync(job, [], { env: { ...env, HOME: home, TZ: 'UTC' }, encoding: 'utf8' });
    expect(run.status).toBe(0);
    const [call, ...others] = tools.calls();
    expect(others).toEqual([]);
    expect(call).toMatch(/^termux-notification --id authwatch --group authwatch --priority high -t authwatch: credential EXPIRED -c anthropic:default: expired — expired 1h ago/);
    expect(call).not.toContain('PLANTEDSECRET');
    expect(readFileSync(join(home, '.local/state/authwatch/termux-job.log'), 'utf8')).toContain('check exited 1');

    writeFileSync(join(home, agentStore('main')), JSON.stringify({ version: 1, profiles: { 'anthropic:default': { type: 'api_key', provider: 'anthropic', key: 'k' } } }));
    writeFileSync(tools.record, '');
    expect(spawnSync(job, [], { env: { ...env, HOME: home }, encoding: 'utf8' }).status).toBe(0);
    expect(tools.calls()).toEqual(['termux-notification-remove authwatch']);
  });

  it('a Termux:API that never answers does not block the job: it times out and says so in the log', async () => {
    const { home, prefix, env } = termuxHome({ 'anthropic:default': { type: 'token', provider: 'anthropic', token: 't', expires: Date.now() - HOUR } });
    expect((await runCli(['install', 'termux', '--prefix', prefix], { home, env })).code).toBe(0);
    writeFileSync(join(prefix, 'bin', 'termux-notification.hang'), '#!/bin/sh\nsleep 30\n');
    chmodSync(join(prefix, 'bin', 'termux-notification.hang'), 0o755);
    const hanging = join(prefix, 'bin', 'termux-notification');
    spawnSync('rm', ['-f', hanging]);
    symlinkSync(join(prefix, 'bin', 'termux-notification.hang'), hanging);
    const started = Date.now();
    const run = spawnSync(join(home, '.local/share/authwatch/authwatch-job.sh'), [], { env: { ...env, HOME: home, AUTHWATCH_TERMUX_API_TIMEOUT: '1' }, encoding: 'utf8' });
    expect(run.status).toBe(0);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(readFileSync(join(home, '.local/state/authwatch/termux-job.log'), 'utf8')).toContain('termux-notification failed or timed out (is the Termux:API app installed?)');
  });

  it.runIf(Boolean(shellcheck))('every shell script in termux/ and deploy/ (and as rendered) passes shellcheck', async () => {
    const scripts = [...readdirSync(join(repo, 'termux')).map((f) => join(repo, 'termux', f)), ...listTree(join(repo, 'deploy')).filter((f) => /\.(sh|sh\.in)$/.test(f))];
    const { home, prefix, env } = termuxHome({});
    expect((await runCli(['install', 'termux', '--prefix', prefix], { home, env })).code).toBe(0);
    scripts.push(join(home, '.local/share/authwatch/authwatch-job.sh'), join(home, '.termux/boot/authwatch'), join(home, '.shortcuts/tasks/authwatch-check'));
    const result = spawnSync(shellcheck!, ['-s', 'sh', ...scripts], { encoding: 'utf8' });
    expect(result.stdout).toBe('');
    expect(result.status).toBe(0);
  });
});
