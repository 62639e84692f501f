import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { hardeningTemplate, renderTmpfiles, renderUnit, unitFiles, type SystemdInputs } from '../../src/install/systemd.js';
import { renderScript } from '../../src/install/termux.js';
import { runCli } from '../helpers/cli.js';
import { makeHome } from '../helpers/home.js';
import { toolForTest } from '../helpers/tools.js';

// Hostile values through every renderer of an installed file (systemd units, the tmpfiles.d
// line, the Termux scripts), read back with the real parsers: systemd-analyze verify,
// systemd-tmpfiles, sh and shellcheck. A control character is refused everywhere (no format
// has multi-line values); everything else must come back exactly as it was given.
const systemdAnalyze = toolForTest('systemd-analyze');
const systemdTmpfiles = toolForTest('systemd-tmpfiles');
const shellcheck = toolForTest('shellcheck');
const repo = fileURLToPath(new URL('../..', import.meta.url));
const template = (relative: string) => readFileSync(join(repo, relative), 'utf8');

const controlValues: [string, string][] = [
  ['newline', '/srv/m\nExecStartPre=/usr/bin/touch /tmp/pwned'],
  ['carriage return', '/srv/m\rL+ /tmp/link - - - - /etc/passwd'],
  ['tab', '/srv/a\tb'],
  ['NUL', '/srv/a\0b'],
  ['DEL', '/srv/a\x7fb'],
  ['C1 next-line', '/srv/a\u0085b'],
  ['line separator', '/srv/a\u2028b'],
];

/** Printable but meaningful somewhere: each must come back as given. */
const printableValues: [string, string][] = [
  ['dollar', 'metrics-$HOME'],
  ['braced variable', 'metrics-${HOME}'],
  ['percent specifier', 'pct-%h-%%'],
  ['backslash', 'back\\slash'],
  ['trailing backslash', 'ends-with\\'],
  ['double quote', 'dq"x'],
  ['single quote', "sq'x"],
  ['spaces', 'two  spaces'],
  ['semicolon', 'semi;colon'],
  ['backquote', 'tick`id`'],
  ['non-ASCII', 'ünï-日本-🙂'],
];

function inputs(over: Partial<SystemdInputs>): SystemdInputs {
  return {
    mode: 'system',
    daemon: false,
    node: '/usr/bin/node',
    entry: '/opt/authwatch/dist/cli/main.js',
    environment: { HOME: '/var/lib/authwatch', PATH: '/usr/bin:/bin' },
    checkArgs: ['--interval', '15m', '--textfile', '/srv/m/authwatch.prom'],
    runAs: 'daemon',
    credentials: [{ name: 'push-password', path: '/etc/authwatch/push-password' }],
    readWritePaths: ['/srv/m'],
    marker: '',
    ...over,
  };
}

const renderAll = (over: Partial<SystemdInputs>) =>
  [false, true].flatMap((daemon) =>
    unitFiles({ mode: over.mode ?? 'system', daemon }).map((file) => ({
      name: file.name,
      text: renderUnit(template(file.template), file.name, inputs({ ...over, daemon }), template(hardeningTemplate)),
    })),
  );

/** The directives of a unit (key names in order), comments and blanks aside. */
const directives = (text: string) => text.split('\n').filter((l) => /^[A-Za-z]/.test(l)).map((l) => l.split('=')[0]);

describe('control characters are refused by every renderer', () => {
  const fields: [string, (v: string) => Partial<SystemdInputs>][] = [
    ['node', (v) => ({ node: v })],
    ['entry', (v) => ({ entry: v })],
    ['an environment value', (v) => ({ environment: { AUTHWATCH_CONFIG: v } })],
    ['a check argument', (v) => ({ checkArgs: ['--textfile', v] })],
    ['a credential path', (v) => ({ credentials: [{ name: 'push-password', path: v }] })],
    ['a writable directory', (v) => ({ readWritePaths: [v] })],
  ];
  it.each(controlValues)('%s: every unit field, the tmpfiles line and every script value', (_, value) => {
    for (const [field, over] of fields) expect(() => renderAll(over(value)), field).toThrow(/control character \(U\+[0-9A-F]{4}/);
    expect(() => renderTmpfiles(value, 'daemon')).toThrow(/control character/);
    const values = { prefix: '/data/data/com.termux/files/usr', node: '/usr/bin/node', entry: '/e.js', job: '/j.sh' };
    for (const key of ['node', 'entry', 'job'] as const) expect(() => renderScript(template('termux/authwatch-job.sh.in'), 'job', { ...values, [key]: value }), key).toThrow(/control character/);
    expect(() => renderScript(template('termux/authwatch-job.sh.in'), 'job', values, { config: value, push: null })).toThrow(/control character/);
    expect(() => renderScript(template('termux/authwatch-job.sh.in'), 'job', values, { config: null, push: { url: `http://h/${value}`, user: null, passwordFile: null } })).toThrow(/control character/);
  });

  it('install systemd --system with a newline in --textfile writes nothing: no unit, no root tmpfiles.d line', async () => {
    const home = makeHome();
    const prefix = join(home, 'root');
    for (const textfile of ['/srv/m\nExecStartPre=/usr/bin/touch /tmp/pwned/a.prom', '/srv/m\nL+ /tmp/link - - - - /etc/passwd\n/a.prom']) {
      const result = await runCli(['install', 'systemd', '--system', '--prefix', prefix, '--run-as', 'daemon', '--textfile', textfile], { home });
      expect(result.code).toBe(3);
      expect(result.stderr).toMatch(/cannot install: .* contains a control character \(U\+000A/);
      expect(existsSync(prefix)).toBe(false);
    }
  });
});

// Each case runs the real parsers once per hostile value (systemd-analyze 22 times): the bound is
// for a busy machine, not a speed the tests assert.
describe('printable hostile values come back exactly', { timeout: 300_000 }, () => {
  it.runIf(Boolean(systemdAnalyze))('systemd units: verify passes, the command is found at the hostile path, no directive is added', () => {
    const dir = mkdtempSync(join(tmpdir(), 'authwatch-render-'));
    for (const [what, value] of printableValues) {
      const unsafe = /["'\\]/.test(value);
      if (unsafe) {
        // systemd runs no program whose path has a quote or backslash: said at install, not at the first run.
        expect(() => renderAll({ node: `/opt/${value}/node` })).toThrow(/contains a quote or backslash, and systemd runs no program/);
      }
      // The node binary at a path holding the value: verify finds it only if systemd read the path back exactly.
      const binDir = join(dir, what.replace(/\W/g, '-'), value);
      mkdirSync(binDir, { recursive: true });
      copyFileSync('/bin/true', join(binDir, 'node'));
      const node = unsafe ? '/bin/true' : join(binDir, 'node');
      spawnSync('chmod', ['755', join(binDir, 'node')]);
      for (const mode of ['system', 'user'] as const) {
        const over: Partial<SystemdInputs> = {
          mode,
          node,
          entry: `/opt/${value}/main.js`,
          environment: { HOME: `/home/${value}`, AUTHWATCH_CONFIG: `/etc/${value}.json5` },
          checkArgs: ['--textfile', `/srv/${value}/a.prom`],
          credentials: [{ name: 'push-password', path: `/etc/${value}/pw` }],
          readWritePaths: [`/srv/${value}`],
          runAs: mode === 'system' ? 'daemon' : '',
        };
        const units = renderAll(over);
        const out = join(dir, `${what.replace(/\W/g, '-')}-${mode}`);
        mkdirSync(out);
        for (const unit of units) {
          writeFileSync(join(out, unit.name), unit.text);
          const plain = renderAll({ mode }).find((u) => u.name === unit.name)!;
          expect(directives(unit.text), `${what} ${unit.name}`).toEqual(directives(plain.text));
        }
        const check = units.find((u) => u.name === 'authwatch-check.service')!.text;
        // `$` is a variable only in ExecStart='s arguments; `%` a specifier everywhere.
        if (value.includes('$')) {
          expect(check).toContain(`check --textfile ${value.includes(' ') ? '"' : ''}/srv/${value.replace(/\$/g, '$$$$')}`);
          expect(check).toMatch(new RegExp(`^Environment=.*HOME=/home/metrics-\\$\\{?HOME`, 'm'));
        }
        if (value.includes('%')) expect(check).toContain('pct-%%h-%%%%');
        const files = readdirSync(out).map((u) => join(out, u));
        const verify = spawnSync(systemdAnalyze!, [...(mode === 'user' ? ['--user'] : []), 'verify', '--man=no', ...files], {
          encoding: 'utf8',
          env: { ...process.env, XDG_RUNTIME_DIR: mkdtempSync(join(tmpdir(), 'authwatch-runtime-')) },
        });
        expect(verify.stderr, `${what} (${mode})`).toBe('');
        expect(verify.status).toBe(0);
      }
    }
  });

  it.runIf(Boolean(systemdTmpfiles))('the tmpfiles.d line: systemd-tmpfiles creates exactly the hostile directory and nothing else', () => {
    for (const [what, value] of printableValues) {
      const root = mkdtempSync(join(tmpdir(), 'authwatch-tmpfiles-'));
      const conf = join(root, 'authwatch.conf');
      writeFileSync(conf, renderTmpfiles(`/srv/${value}`, 'daemon'));
      const cat = spawnSync(systemdTmpfiles!, ['--cat-config', conf], { encoding: 'utf8' });
      expect(cat.stderr, what).not.toMatch(/Failed to parse/);
      const run = spawnSync(systemdTmpfiles!, [`--root=${root}`, '--create', conf], { encoding: 'utf8' });
      expect(run.stderr, what).toBe('');
      expect(run.status, what).toBe(0);
      expect(readdirSync(join(root, 'srv')), what).toEqual([value]);
      expect(readdirSync(root).sort(), what).toEqual(['authwatch.conf', 'srv']);
    }
  });

  it('Termux scripts: sh reads every value back exactly; every rendered script passes sh -n (and shellcheck)', () => {
    const probe = `#!/data/data/com.termux/files/usr/bin/sh\n@SETTINGS@\nprintf '%s\\n' "@NODE@" "@ENTRY@" "@JOB@" "$AUTHWATCH_CONFIG" "$AUTHWATCH_PUSH_PASSWORD_FILE"\n`;
    const dir = mkdtempSync(join(tmpdir(), 'authwatch-termux-'));
    const scripts: string[] = [];
    for (const [what, value] of printableValues) {
      const values = { prefix: '/usr', node: `/n/${value}`, entry: `/e/${value}`, job: `/j/${value}` };
      const options = { config: `/c/${value}`, push: { url: `http://h/${value}`, user: `u${value}`, passwordFile: `/p/${value}` } };
      const path = join(dir, `${what.replace(/\W/g, '-')}.sh`);
      writeFileSync(path, renderScript(probe, 'probe', values, options));
      const run = spawnSync('sh', [path], { encoding: 'utf8' });
      expect(run.stdout, what).toBe([values.node, values.entry, values.job, options.config, options.push.passwordFile].map((v) => `${v}\n`).join(''));
      for (const name of ['authwatch-job.sh.in', 'authwatch-boot.sh.in', 'authwatch-widget.sh.in']) {
        const rendered = join(dir, `${what.replace(/\W/g, '-')}-${name.replace('.in', '')}`);
        writeFileSync(rendered, renderScript(template(`termux/${name}`), name, values, options));
        expect(spawnSync('sh', ['-n', rendered], { encoding: 'utf8' }).status, `${what} ${name}`).toBe(0);
        scripts.push(rendered);
      }
    }
    if (shellcheck) {
      // Errors only: its warnings guess at a typo from literal text (`$` in single quotes, a quote in
      // a value), and here that text is the hostile value itself, meant literally (sh read it back above).
      const result = spawnSync(shellcheck, ['-s', 'sh', '-S', 'error', ...scripts], { encoding: 'utf8' });
      expect(result.stdout).toBe('');
    }
  });

  it('a Termux prefix that cannot stand in a #! line is refused', () => {
    for (const prefix of ['/data/my prefix', '/data/$x', '/data/"q']) {
      expect(() => renderScript(template('termux/authwatch-job.sh.in'), 'job', { prefix, node: '/n', entry: '/e', job: '/j' })).toThrow(/is not a plain path/);
    }
  });
});
