import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { systemdWord } from '../src/install/render-grammar.js';
import { renderUnit } from '../src/install/systemd.js';
import { cliPath, runCli } from './helpers/cli.js';
import { HOUR } from './helpers/clock.js';
import { agentStore, makeHome } from './helpers/home.js';
import { toolForTest } from './helpers/tools.js';
import { startSink } from './helpers/http-sink.js';
import { freePort, startProcess, waitFor } from './helpers/processes.js';
import { trackChild } from './helpers/children.js';

const systemdAnalyze = toolForTest('systemd-analyze');
const shellcheck = toolForTest('shellcheck');
const pushgateway = toolForTest('prometheus-pushgateway');
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

/** Runs a script without blocking this process (where the test's servers answer). */
function runJob(path: string, env: Record<string, string>): Promise<number | null> {
  return new Promise((resolve, reject) => {
    const child = trackChild(spawn(path, [], { env, stdio: 'ignore', timeout: 30_000 }));
    child.on('error', reject);
    child.on('close', resolve);
  });
}

const listTree = (dir: string): string[] =>
  existsSync(dir) ? readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name)).sort() : [];

describe('systemd units', () => {
  it('render with quoted paths, escaped % and explicit environment', () => {
    expect(systemdWord('/opt/my app/%x', 'a path')).toBe('"/opt/my app/%%x"');
    const text = renderUnit('ExecStart=@NODE@ @ENTRY@ check@CHECK_ARGS@\n@ENVIRONMENT@\n@CREDENTIALS@\nUser=@RUN_AS@\n', 'x', {
      mode: 'user',
      daemon: false,
      node: '/usr/bin/node',
      entry: '/home/a b/authwatch/dist/cli/main.js',
      environment: { HOME: '/home/a b', PATH: '/usr/bin:/bin' },
      checkArgs: ['--textfile', '/tmp/x.prom'],
      runAs: 'authwatch',
      credentials: [{ name: 'smtp-password', path: '/etc/authwatch/smtp-password' }],
      readWritePaths: [],
      marker: '',
    }, '');
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
    expect(service).toContain(`ExecStart=${process.execPath} ${cliPath} check --interval 15m\n`);
    expect(service).toContain(`Environment=HOME=${home}`);
    // Not the installer's PATH (its stand-ins): node's directory and a fixed list.
    expect(service).toMatch(new RegExp(`^Environment=PATH=${dirname(process.execPath)}(:/usr/local/bin|:/usr/bin|:/bin)+$`, 'm'));
    expect(service).not.toContain('stand-ins');
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
    for (const line of ['User=authwatch', 'StateDirectory=authwatch', 'CacheDirectory=authwatch', 'LoadCredential=smtp-password:/etc/authwatch/smtp-password', 'ProtectSystem=strict', 'ProtectHome=read-only', 'NoNewPrivileges=yes', 'PrivateTmp=yes', 'ReadWritePaths=/var/lib/prometheus/node-exporter', 'SuccessExitStatus=1 2', 'TimeoutStartSec=2min', 'UMask=0077']) {
      expect(check).toContain(line);
    }
    expect(check).toContain('check --interval 15m --textfile /var/lib/prometheus/node-exporter/authwatch.prom');
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

    // Every system unit, the failure notice too: at most 2.5 ("OK") on systemd's own scale.
    for (const unit of systemUnits.filter((u) => u.endsWith('.service'))) {
      const security = spawnSync(systemdAnalyze!, ['security', '--offline=true', join(systemDir, unit)], { encoding: 'utf8' });
      const exposure = Number(/Overall exposure level for .*: (\d+\.\d+)/.exec(security.stdout + security.stderr)?.[1]);
      expect(exposure, unit).toBeLessThanOrEqual(2.5);
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
    const tools = standIns(home, ['termux-job-scheduler', 'termux-notification', 'termux-notification-remove', 'termux-toast', 'termux-wake-lock', 'termux-wake-unlock']);
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
    // The boot script holds the wake lock only while it registers the job.
    expect(spawnSync(join(home, '.termux/boot/authwatch'), [], { env: { ...env, HOME: home } }).status).toBe(0);
    expect(tools.calls().slice(1)).toEqual(['termux-wake-lock', `termux-job-scheduler --job-id 4711 -s ${job} --period-ms 900000 --network any --persisted true`, 'termux-wake-unlock']);
    writeFileSync(tools.record, `termux-job-scheduler --job-id 4711 -s ${job} --period-ms 900000 --network any --persisted true\n`);
    expect(tools.calls()).toEqual([`termux-job-scheduler --job-id 4711 -s ${job} --period-ms 900000 --network any --persisted true`]);
    const snapshot = written.map((f) => readFileSync(f, 'utf8'));
    expect((await runCli(['install', 'termux', '--prefix', prefix], { home, env })).code).toBe(0);
    expect(written.map((f) => readFileSync(f, 'utf8'))).toEqual(snapshot);

    writeFileSync(tools.record, '');
    expect((await runCli(['uninstall', 'termux', '--prefix', prefix], { home, env })).code).toBe(0);
    // The last notification and a wake lock an older boot script left go too.
    expect(tools.calls()).toEqual(['termux-job-scheduler --cancel --job-id 4711', 'termux-notification-remove authwatch', 'termux-wake-unlock']);
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

  it('the notification has "Check now" and "Open log" buttons; with --gateway the job probes the gateway\'s /health and says when it is down', async () => {
    // OpenClaw's gateway answers GET /health with 200 {"ok":true,"status":"live"} while its HTTP
    // server is live (docs/gateway/health.md; the real 2026.9.6 gateway answered exactly that here,
    // after 113 s of start-up on this machine: too slow to start in the suite).
    let live = true;
    const gateway = createServer((request, response) => {
      if (request.url === '/health' && live) response.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true,"status":"live"}');
      else response.writeHead(503).end();
    });
    await new Promise<void>((resolve) => gateway.listen(0, '127.0.0.1', () => resolve()));
    try {
      const url = `http://127.0.0.1:${(gateway.address() as { port: number }).port}`;
      const { home, prefix, tools, env } = termuxHome({ 'anthropic:default': { type: 'api_key', provider: 'anthropic', key: 'sk-ant-api03-PLANTEDSECRET' } });
      expect((await runCli(['install', 'termux', '--prefix', prefix, '--gateway', `${url}/`], { home, env })).code).toBe(0);
      const job = join(home, '.local/share/authwatch/authwatch-job.sh');
      expect(readFileSync(job, 'utf8')).toContain(`AUTHWATCH_GATEWAY_HEALTH='${url}/health'; export AUTHWATCH_GATEWAY_HEALTH`);
      const log = join(home, '.local/state/authwatch/termux-job.log');
      const runIt = () => {
        writeFileSync(tools.record, '');
        return runJob(job, { ...env, HOME: home, TZ: 'UTC' });
      };
      // Credentials ok and the gateway live: no notification.
      expect(await runIt()).toBe(0);
      expect(tools.calls()).toEqual(['termux-notification-remove authwatch']);
      // The gateway answers 503: said, with high priority, though the credentials are fine.
      live = false;
      expect(await runIt()).toBe(0);
      const [down] = tools.calls();
      expect(down).toMatch(new RegExp(`^termux-notification --id authwatch --group authwatch --priority high -t authwatch: OpenClaw gateway down -c OpenClaw gateway down: answered HTTP 503 \\(${url}/health\\); credentials ok `));
      expect(down).toContain(` --button1 Check now --button1-action ${job} --button2 Open log --button2-action termux-open --content-type text/plain '${log}'`);
      // Gone altogether: not reachable.
      await new Promise<void>((resolve) => gateway.close(() => resolve()));
      expect(await runIt()).toBe(0);
      expect(tools.calls()[0]).toMatch(/OpenClaw gateway down: not reachable \(ECONNREFUSED\)/);
      expect(readFileSync(log, 'utf8')).toMatch(/gateway http:\/\/127\.0\.0\.1:\d+\/health: not reachable \(ECONNREFUSED\)/);
      for (const call of tools.calls()) expect(call).not.toContain('PLANTEDSECRET');
      // A systemd install has no use for it.
      const refused = await runCli(['install', 'systemd', '--user', '--dry-run', '--gateway', url], { home, env });
      expect(refused.stderr).toMatch(/install systemd: --gateway cannot be honoured here: a server watches its gateway with an uptime monitor/);
      expect((await runCli(['install', 'termux', '--prefix', prefix, '--gateway', 'ftp://x'], { home, env })).stderr).toMatch(/--gateway: expected an http:\/\/ or https:\/\/ URL/);
    } finally {
      gateway.closeAllConnections();
      gateway.close();
    }
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

  it('refuses what a phone cannot honour, with the reason', async () => {
    const { home, prefix, env } = termuxHome({});
    for (const [flag, reason] of [
      [['--textfile', join(home, 'a.prom')], 'there is no node_exporter on a phone'],
      [['--daemon'], 'Android stops long-running processes'],
      [['--run-as', 'daemon'], 'the job runs as the Termux user'],
      [['--system'], 'there is no systemd on Android'],
    ] as const) {
      const result = await runCli(['install', 'termux', '--prefix', prefix, ...flag], { home, env });
      expect(result.code).toBe(3);
      expect(result.stderr).toContain(`install termux: --${flag[0].slice(2)} cannot be honoured here: ${reason}`);
    }
    expect(existsSync(join(home, '.local/share/authwatch/authwatch-job.sh'))).toBe(false);
    const inline = await runCli(['install', 'termux', '--prefix', prefix, '--push', 'http://127.0.0.1:9'], { home, env: { ...env, AUTHWATCH_PUSH_USER: 'u', AUTHWATCH_PUSH_PASSWORD: 'PLANTEDPASSWORD' } });
    expect(inline.code).toBe(3);
    expect(inline.stderr).toContain('the installer writes no password into a unit or script');
    expect(inline.stdout + inline.stderr).not.toContain('PLANTEDPASSWORD');
  });

  it('only an alert channel failed (exit 3): the notification says so, credentials ok, at default priority', async () => {
    const { home, prefix, tools, env } = termuxHome({ 'anthropic:default': { type: 'token', provider: 'anthropic', token: 't', expires: Date.now() - HOUR } });
    // The ntfy server takes the first alert (expired), then refuses (the resolved notice).
    const sink = await startSink(() => (sink.requests.length > 1 ? 500 : 200));
    const config = join(home, 'phone.json5');
    writeFileSync(config, `{ channels: [{ name: "ntfy", type: "ntfy", url: "${sink.url}", topic: "t" }] }`, { mode: 0o600 });
    expect((await runCli(['install', 'termux', '--prefix', prefix, '--config', config], { home, env })).code).toBe(0);
    const job = join(home, '.local/share/authwatch/authwatch-job.sh');
    expect(readFileSync(job, 'utf8')).toContain(`AUTHWATCH_CONFIG='${config}'; export AUTHWATCH_CONFIG`);
    writeFileSync(tools.record, '');
    expect(await runJob(job, { ...env, HOME: home })).toBe(0);
    expect(tools.calls()[0]).toMatch(/--priority high -t authwatch: credential EXPIRED -c anthropic:default: expired/);
    writeFileSync(join(home, agentStore('main')), JSON.stringify({ version: 1, profiles: { 'anthropic:default': { type: 'api_key', provider: 'anthropic', key: 'k' } } }));
    writeFileSync(tools.record, '');
    expect(await runJob(job, { ...env, HOME: home })).toBe(0);
    expect(sink.requests).toHaveLength(2);
    expect(readFileSync(join(home, '.local/state/authwatch/termux-job.log'), 'utf8')).toMatch(/check exited 1\n[^]*check exited 3\n$/);
    expect(tools.calls()).toEqual([expect.stringMatching(/^termux-notification --id authwatch --group authwatch --priority default -t authwatch: alert channel ntfy failed -c alert channel ntfy failed; credentials ok --button1 Check now /)]);
  });

  it.runIf(Boolean(pushgateway))('--push: the job pushes with Basic auth from a file (never in the script); uninstall deletes this host\'s group', async () => {
    const { home, prefix, tools, env } = termuxHome({ 'anthropic:default': { type: 'api_key', provider: 'anthropic', key: 'k' } });
    const port = await freePort();
    startProcess(pushgateway!, [`--web.listen-address=127.0.0.1:${port}`, `--persistence.file=${join(home, 'pg.data')}`], { PATH: process.env.PATH });
    const base = `http://127.0.0.1:${port}`;
    await waitFor('pushgateway', async () => ((await fetch(`${base}/-/ready`)).ok ? true : undefined));
    const passwordFile = join(home, 'push-password');
    writeFileSync(passwordFile, 'PLANTEDPASSWORD\n', { mode: 0o600 });
    const pushEnv = { ...env, AUTHWATCH_PUSH_USER: 'phone', AUTHWATCH_PUSH_PASSWORD_FILE: passwordFile };
    const installed = await runCli(['install', 'termux', '--prefix', prefix, '--push', base], { home, env: pushEnv });
    expect(installed.code).toBe(0);
    const job = join(home, '.local/share/authwatch/authwatch-job.sh');
    const script = readFileSync(job, 'utf8');
    expect(script).toContain(`check --json --interval 15m --push "${base}"`);
    expect(script).toContain(`AUTHWATCH_PUSH_PASSWORD_FILE='${passwordFile}'; export AUTHWATCH_PUSH_PASSWORD_FILE`);
    expect(script).not.toContain('PLANTEDPASSWORD');
    // The job runs without the installer's environment: what it needs is in the script.
    expect(spawnSync(job, [], { env: { ...env, HOME: home }, encoding: 'utf8' }).status).toBe(0);
    const host = spawnSync('hostname', { encoding: 'utf8' }).stdout.trim();
    const group = `push_time_seconds{instance="${host}",job="authwatch"}`;
    expect(await (await fetch(`${base}/metrics`)).text()).toContain(group);

    writeFileSync(tools.record, '');
    const removed = await runCli(['uninstall', 'termux', '--prefix', prefix], { home, env });
    expect(removed.code).toBe(0);
    expect(removed.stdout).toContain(`deleted this host's group on the Pushgateway`);
    expect(await (await fetch(`${base}/metrics`)).text()).not.toContain(group);
    expect(removed.stdout + removed.stderr).not.toContain('PLANTEDPASSWORD');
  });

  it('uninstall goes on past a failing termux-* call and reports it (exit 3)', async () => {
    const { home, prefix, env } = termuxHome({});
    expect((await runCli(['install', 'termux', '--prefix', prefix], { home, env })).code).toBe(0);
    writeFileSync(join(home, 'stand-ins', 'termux-job-scheduler'), '#!/bin/sh\nexit 1\n');
    const result = await runCli(['uninstall', 'termux', '--prefix', prefix], { home, env });
    expect(result.code).toBe(3);
    expect(result.stderr).toContain('uninstall termux: one step failed (all the others were done): termux-job-scheduler --cancel --job-id 4711 failed (exit 1)');
    expect(existsSync(join(home, '.local/share/authwatch/authwatch-job.sh'))).toBe(false);
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

describe('systemd install: the unit user, PATH, textfile and refusals', () => {
  const systemUnit = (prefix: string, name: string) => readFileSync(join(prefix, 'etc/systemd/system', name), 'utf8');

  it('--run-as takes HOME from the real passwd entry; a user that does not exist is an error', async () => {
    const home = makeHome();
    const prefix = join(home, 'root');
    const daemonHome = spawnSync('getent', ['passwd', 'daemon'], { encoding: 'utf8' }).stdout.split(':')[5]!;
    const result = await runCli(['install', 'systemd', '--system', '--prefix', prefix, '--run-as', 'daemon'], { home });
    expect(result.code).toBe(0);
    for (const unit of ['authwatch-check.service', 'authwatch-failure@.service']) {
      const text = systemUnit(prefix, unit);
      expect(text).toContain('User=daemon\n');
      expect(text).toContain(`Environment=HOME=${daemonHome}\n`);
      expect(text).not.toContain(`HOME=${home}`);
    }
    expect(result.stdout).toContain(`note: the units run as daemon (HOME=${daemonHome}); it must be able to read the credential files it watches`);

    for (const args of [['--prefix', join(home, 'other')], ['--dry-run']]) {
      const missing = await runCli(['install', 'systemd', '--system', ...args, '--run-as', 'authwatch-no-such-user'], { home });
      expect(missing.code).toBe(3);
      expect(missing.stderr).toContain('--run-as authwatch-no-such-user: no such user on this host');
      expect(existsSync(join(home, 'other'))).toBe(false);
    }
    // The default user may come after a package's files: its home is the one useradd gives it.
    const packaged = await runCli(['install', 'systemd', '--system', '--prefix', join(home, 'pkg')], { home });
    expect(packaged.code).toBe(0);
    expect(systemUnit(join(home, 'pkg'), 'authwatch-check.service')).toContain('Environment=HOME=/var/lib/authwatch\n');
    expect(packaged.stdout).toContain('useradd --system --home-dir /var/lib/authwatch');
    expect((await runCli(['install', 'systemd', '--user', '--run-as', 'daemon', '--dry-run'], { home })).stderr).toContain('--run-as is for --system');
  });

  it('PATH: node\'s directory, openclaw\'s when the config runs it, then a fixed list; never the installer\'s', async () => {
    const home = makeHome();
    const openclawDir = join(home, 'opt/openclaw/bin');
    mkdirSync(openclawDir, { recursive: true });
    writeFileSync(join(openclawDir, 'openclaw'), '#!/bin/sh\n', { mode: 0o755 });
    const config = join(home, 'config.json5');
    writeFileSync(config, '{ openclaw: { fromCli: true } }', { mode: 0o600 });
    const env = { PATH: `/tmp/node_modules/.bin:${home}/.pyenv/shims:${openclawDir}:${process.env.PATH}` };
    const result = await runCli(['install', 'systemd', '--user', '--prefix', join(home, 'root'), '--config', config], { home, env });
    expect(result.code).toBe(0);
    const unit = readFileSync(join(home, 'root', home, '.config/systemd/user/authwatch-check.service'), 'utf8');
    expect(unit).toContain(`Environment=PATH=${[...new Set([dirname(process.execPath), openclawDir, '/usr/local/bin', '/usr/bin', '/bin'])].join(':')}\n`);
    expect(unit).toContain(`Environment=AUTHWATCH_CONFIG=${config}\n`);
    expect(unit).not.toContain('node_modules/.bin');
    expect(unit).not.toContain('.pyenv');

    const lost = await runCli(['install', 'systemd', '--user', '--dry-run', '--config', config], { home });
    expect(lost.code).toBe(3);
    expect(lost.stderr).toContain('openclaw.command openclaw is not on this PATH');
  });

  it('a custom --textfile: ReadWritePaths and a tmpfiles.d ACL for its directory; the combinations that cannot work are refused', async () => {
    const home = makeHome();
    const prefix = join(home, 'root');
    const result = await runCli(['install', 'systemd', '--system', '--prefix', prefix, '--run-as', 'daemon', '--textfile', '/srv/metrics/authwatch.prom'], { home });
    expect(result.code).toBe(0);
    const check = systemUnit(prefix, 'authwatch-check.service');
    expect(check).toContain('check --interval 15m --textfile /srv/metrics/authwatch.prom\n');
    expect(check).toContain('ReadWritePaths=/srv/metrics\n');
    expect(readFileSync(join(prefix, 'etc/tmpfiles.d/authwatch.conf'), 'utf8')).toMatch(/^d \/srv\/metrics - - - -\na\+ \/srv\/metrics - - - - u:daemon:rwx\n$/m);
    expect(result.stdout).toContain('would run: systemd-tmpfiles --create /etc/tmpfiles.d/authwatch.conf');

    const refusals: [string[], string][] = [
      [['--system', '--daemon', '--textfile', '/srv/m/a.prom'], '--daemon --textfile: the daemon serves /metrics'],
      [['--system', '--daemon', '--push', 'http://127.0.0.1:9'], '--daemon --push: the daemon serves /metrics and pushes nothing'],
      [['--system', '--textfile', '/srv/m/authwatch.txt'], 'node_exporter only reads files ending in .prom'],
      [['--user', '--dry-run', '--textfile', join(home, 'no-such-dir/authwatch.prom')], 'you cannot write'],
      [['--system', '--push', 'http://user:pw@127.0.0.1:9'], 'never put credentials in the URL'],
    ];
    for (const [args, message] of refusals) {
      const refused = await runCli(['install', 'systemd', ...args, ...(args.includes('--dry-run') ? [] : ['--prefix', join(home, 'refused')])], { home });
      expect(refused.code, args.join(' ')).toBe(3);
      expect(refused.stderr).toContain(message);
      expect(refused.stderr).not.toContain(':pw@');
      expect(existsSync(join(home, 'refused'))).toBe(false);
    }
  });

  it('the failure notice runs as the unit user with the env file, a deadline below its TimeoutStartSec, and --user for user units', async () => {
    const home = makeHome();
    expect((await runCli(['install', 'systemd', '--system', '--prefix', join(home, 'root'), '--run-as', 'daemon'], { home })).code).toBe(0);
    const failure = systemUnit(join(home, 'root'), 'authwatch-failure@.service');
    expect(failure).toMatch(/^ExecStart=\S+ \S+ alert unit-failed %i --deadline 45s$/m);
    expect(failure).toContain('TimeoutStartSec=1min\n');
    expect(failure).toContain('EnvironmentFile=-/etc/authwatch/authwatch.env\n');
    expect(failure).toContain('SystemCallFilter=@system-service\n');
    expect((await runCli(['install', 'systemd', '--user', '--prefix', join(home, 'user')], { home })).code).toBe(0);
    expect(readFileSync(join(home, 'user', home, '.config/systemd/user/authwatch-failure@.service'), 'utf8')).toMatch(/^ExecStart=\S+ \S+ alert unit-failed %i --user --deadline 45s$/m);
  });

  it('alert unit-failed: exit 3 is not "credentials are not being checked"; a user unit gets journalctl --user', async () => {
    const sink = await startSink();
    const home = makeHome({ '.config/authwatch/config.json5': `{ channels: [{ name: "phone", type: "ntfy", url: "${sink.url}", topic: "t" }] }` });
    const result = await runCli(['alert', 'unit-failed', 'authwatch-check.service', '--user'], { home, env: { MONITOR_SERVICE_RESULT: 'exit-code', MONITOR_EXIT_STATUS: '3' } });
    expect(result.code).toBe(0);
    const body = sink.requests.map((r) => r.body).join('\n');
    expect(body).toContain('exit status 3');
    expect(body).toContain('an alert channel failed');
    expect(body).toContain('journalctl --user -u authwatch-check.service');
    expect(body).not.toContain('not being checked');
  });

  it('uninstall goes on past a failing systemctl: every step is tried, every file removed, each failure reported with the user-bus hint', async () => {
    const home = makeHome();
    const tools = standIns(home, ['systemctl']);
    const env = { PATH: `${tools.bin}:${process.env.PATH}`, RECORD: tools.record };
    expect((await runCli(['install', 'systemd', '--user', '--daemon'], { home, env })).code).toBe(0);
    expect((await runCli(['install', 'systemd', '--user'], { home, env })).code).toBe(0);
    writeFileSync(join(tools.bin, 'systemctl'), `#!/bin/sh\necho "systemctl $*" >> "$RECORD"\necho "Failed to connect to bus: No medium found" >&2\nexit 1\n`);
    const result = await runCli(['uninstall', 'systemd', '--user'], { home, env });
    expect(result.code).toBe(3);
    expect(tools.calls().slice(-3)).toEqual(['systemctl --user disable --now authwatch-check.timer', 'systemctl --user disable --now authwatch.service', 'systemctl --user daemon-reload']);
    expect(listTree(join(home, '.config/systemd/user'))).toEqual([]);
    expect(result.stderr).toContain('uninstall systemd: 3 steps failed (all the others were done)');
    expect(result.stdout).toContain('FAILED: systemctl --user disable --now authwatch-check.timer failed (exit 1); hint: your systemd user manager is not reachable (XDG_RUNTIME_DIR is not set)');
    expect(result.stdout).toContain('loginctl enable-linger');
  });
});

describe('the daemon units start Node with flags every supported Node accepts', () => {
  it('the user and system units agree, and Node 20 and Node 24 start with them', () => {
    const flags = (mode: string) => /^ExecStart=@NODE@ (.*) @ENTRY@ daemon$/m.exec(readFileSync(join(repo, `deploy/systemd/${mode}/authwatch.service.in`), 'utf8'))?.[1];
    expect(flags('user')).toBeDefined();
    expect(flags('user')).toBe(flags('system'));
    const nodes = [process.execPath, process.env.AUTHWATCH_NODE24].filter((node): node is string => Boolean(node) && existsSync(node!));
    for (const node of nodes) {
      const run = spawnSync(node, [...flags('user')!.split(' '), '-e', 'process.stdout.write(process.version)'], { encoding: 'utf8' });
      expect(run.status, `${node}: ${run.stderr}`).toBe(0);
      expect(run.stdout).toMatch(/^v\d+\./);
    }
  });
});
