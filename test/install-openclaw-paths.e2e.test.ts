import { chmodSync, cpSync, mkdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli, runProcess } from './helpers/cli.js';
import { makeHome } from './helpers/home.js';

const repo = fileURLToPath(new URL('..', import.meta.url));

describe('installed units and jobs read the gateway the installer\'s shell reads', () => {
  const gateway = {
    OPENCLAW_HOME: '/srv/gateway home',
    OPENCLAW_STATE_DIR: '~/state',
    OPENCLAW_CONFIG_PATH: '/etc/openclaw/openclaw.json',
  };

  it('systemd: OPENCLAW_HOME / OPENCLAW_STATE_DIR / OPENCLAW_CONFIG_PATH go into every unit as absolute paths, and --dry-run says so', async () => {
    const home = makeHome();
    for (const daemon of [false, true]) {
      const result = await runCli(['install', 'systemd', '--user', '--dry-run', ...(daemon ? ['--daemon'] : [])], { home, env: gateway });
      expect(result.code, result.stderr).toBe(0);
      // OpenClaw reads `~` in OPENCLAW_STATE_DIR as OPENCLAW_HOME's.
      expect(result.stdout).toContain('note: the units carry OPENCLAW_HOME=/srv/gateway home from this environment');
      expect(result.stdout).toContain('note: the units carry OPENCLAW_STATE_DIR=/srv/gateway home/state from this environment');
      expect(result.stdout).toContain('note: the units carry OPENCLAW_CONFIG_PATH=/etc/openclaw/openclaw.json from this environment');
      const units = result.stdout.split(/^would write /m).filter((text) => /\.service:\n/.test(text));
      expect(units.length).toBe(2);
      for (const unit of units) {
        expect(unit).toContain('Environment="OPENCLAW_HOME=/srv/gateway home"\n');
        expect(unit).toContain('Environment="OPENCLAW_STATE_DIR=/srv/gateway home/state"\n');
        expect(unit).toContain('Environment=OPENCLAW_CONFIG_PATH=/etc/openclaw/openclaw.json\n');
      }
    }
    const plain = await runCli(['install', 'systemd', '--user', '--dry-run'], { home });
    expect(plain.stdout).not.toContain('OPENCLAW_');
  });

  it('Termux: the job and the widget export them', async () => {
    const home = makeHome();
    const prefix = join(home, 'usr');
    mkdirSync(join(prefix, 'bin'), { recursive: true });
    const result = await runCli(['install', 'termux', '--prefix', prefix, '--dry-run'], { home, env: { OPENCLAW_STATE_DIR: '~/.openclaw-phone' } });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain(`note: the job and the widget carry OPENCLAW_STATE_DIR=${home}/.openclaw-phone from this environment`);
    const scripts = result.stdout.split(/^would write /m).filter((text) => text.startsWith('/'));
    const carrying = scripts.filter((text) => text.includes(`OPENCLAW_STATE_DIR='${home}/.openclaw-phone'; export OPENCLAW_STATE_DIR`)).map((text) => text.split(':\n')[0]);
    expect(carrying).toEqual([join(home, '.local/share/authwatch/authwatch-job.sh'), join(home, '.shortcuts/tasks/authwatch-check')]);
  });
});

describe.runIf(process.getuid?.() === 0)('install systemd --system --run-as: the unit user must be able to run the program', () => {
  // A clone under a 0700 home, like /root: the build, package.json and the templates.
  const locked = mkdtempSync(join(tmpdir(), 'authwatch-locked-'));
  afterAll(() => rmSync(locked, { recursive: true, force: true }));
  const clone = join(locked, 'authwatch');
  mkdirSync(clone);
  for (const part of ['dist', 'deploy', 'package.json']) cpSync(join(repo, part), join(clone, part), { recursive: true });
  symlinkSync(join(repo, 'node_modules'), join(clone, 'node_modules'));
  const install = (args: string[]) =>
    runProcess(process.execPath, [join(clone, 'dist/cli/main.js'), 'install', 'systemd', '--system', '--prefix', join(locked, 'root'), ...args], {
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: locked, TZ: 'UTC' },
    });

  it('a clone under a 0700 directory: refused, naming the directory and the fix; nothing written', async () => {
    chmodSync(locked, 0o700);
    const result = await install(['--run-as', 'daemon']);
    expect(result.code).toBe(3);
    expect(result.stderr).toContain(`--run-as daemon: the units would read authwatch from ${join(clone, 'dist/cli/main.js')}, but daemon cannot: ${locked} (mode 0700, owner uid 0) is in the way`);
    expect(result.stderr).toContain('install authwatch where daemon can read it');
    expect(() => readFileSync(join(locked, 'root/etc/systemd/system/authwatch-check.service'))).toThrow();
    // Root itself can: a root unit is not refused.
    expect((await install(['--run-as', 'root'])).code).toBe(0);
  });

  it('once the user can get in, the same clone installs', async () => {
    chmodSync(locked, 0o711);
    const result = await install(['--run-as', 'daemon']);
    expect(result.code, result.stderr).toBe(0);
    expect(readFileSync(join(locked, 'root/etc/systemd/system/authwatch-check.service'), 'utf8')).toContain('User=daemon\n');
  });
});
