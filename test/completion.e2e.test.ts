import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from './helpers/cli.js';
import { findTool } from './helpers/tools.js';

// `authwatch completion bash|zsh`, made from the command table, loaded into the real shells.

const dir = mkdtempSync(join(tmpdir(), 'authwatch-completion-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function script(shell: 'bash' | 'zsh'): Promise<string> {
  const run = await runCli(['completion', shell], { home: dir });
  expect(run).toMatchObject({ code: 0, stderr: '' });
  const file = join(dir, `authwatch.${shell}`);
  writeFileSync(file, run.stdout);
  return file;
}

/** The commands `authwatch --help` lists: the table completion is made from. */
async function helpCommands(): Promise<string[]> {
  const help = (await runCli(['--help'], { home: dir })).stdout;
  return [...help.slice(help.indexOf('Commands:')).matchAll(/^ {2}(\S+) /gm)].map((m) => m[1]!);
}

const bash = findTool('bash');
const zsh = findTool('zsh');

describe.runIf(Boolean(bash))('bash completion (real bash)', () => {
  it('registers with complete, and completes commands, the words after them, flags and flag values', async () => {
    const file = await script('bash');
    const complete = (line: string) => {
      const words = line.split(' ');
      const program = `source ${file}; COMP_WORDS=(${words.map((w) => `'${w}'`).join(' ')}); COMP_CWORD=${words.length - 1}; _authwatch; printf '%s\\n' "\${COMPREPLY[@]}"`;
      const result = spawnSync(bash!, ['--norc', '--noprofile', '-c', program], { encoding: 'utf8' });
      expect(result.stderr).toBe('');
      return result.stdout.split('\n').filter(Boolean);
    };
    expect(spawnSync(bash!, ['--norc', '-c', `source ${file}; complete -p authwatch`], { encoding: 'utf8' }).stdout).toBe('complete -o default -F _authwatch authwatch\n');
    expect(complete('authwatch ')).toEqual([...(await helpCommands()), '--help', '--version']);
    expect(complete('authwatch st')).toEqual(['status']);
    expect(complete('authwatch install ')).toEqual(['systemd', 'termux']);
    expect(complete('authwatch install systemd --d')).toEqual(['--daemon', '--dry-run']);
    expect(complete('authwatch check --format ')).toEqual(['table', 'json', 'openclaw-json', 'openclaw-simple']);
    expect(complete('authwatch check --policy o')).toEqual(['openclaw']);
    expect(complete('authwatch daemon --log-level w')).toEqual(['warn']);
    expect(complete(`authwatch check --config ${dir}/authwatch.b`)).toEqual([`${dir}/authwatch.bash`]);
    expect(complete('authwatch completion ')).toEqual(['bash', 'zsh']);
    // Every flag a command's --help names is offered (the table and the help cannot drift apart).
    for (const command of ['check', 'status', 'daemon', 'install']) {
      // The usage lines and the option list, not the prose (which quotes other commands' flags).
      const help = (await runCli([command, '--help'], { home: dir })).stdout
        .split('\n')
        .filter((line) => /^(Usage:|\s+(\[|-|authwatch ))/.test(line))
        .join('\n');
      const named = [...new Set([...help.matchAll(/(?<![\w-])--[a-z][a-z-]+/g)].map((m) => m[0]))];
      expect(complete(`authwatch ${command} --`), command).toEqual(expect.arrayContaining(named));
    }
  });
});

describe.runIf(Boolean(zsh))('zsh completion (real zsh)', () => {
  it('parses, registers with compdef after compinit, describes the commands and gives _arguments each command\'s flags', async () => {
    const file = await script('zsh');
    expect(spawnSync(zsh!, ['-n', file], { encoding: 'utf8' }).status).toBe(0);
    // compinit's own machinery, with _describe and _arguments replaced by printers of what they are given.
    const run = (words: string[]) =>
      spawnSync(
        zsh!,
        [
          '-f',
          '-c',
          `autoload -U compinit && compinit -u -d ${dir}/zcompdump && source ${file} && print -r -- "registered=\${_comps[authwatch]}"
           _describe() { print -rl -- \${(P)\${@[-1]}} }
           _arguments() { print -rl -- "$@" }
           words=(${words.map((w) => `'${w}'`).join(' ')}); CURRENT=${words.length}; _authwatch`,
        ],
        { encoding: 'utf8' },
      );
    const top = run(['authwatch', '']);
    expect(top.stderr).toBe('');
    expect(top.stdout.split('\n')[0]).toBe('registered=_authwatch');
    expect(top.stdout.split('\n').slice(1, -1).map((line) => line.split(':')[0])).toEqual(await helpCommands());
    const install = run(['authwatch', 'install', '']).stdout.split('\n');
    expect(install).toEqual(expect.arrayContaining(['--dry-run', '--config=:file:_files', '--prefix=:directory:_files -/', '(-h --help)--help', '1:install:(systemd termux)']));
    expect(run(['authwatch', 'check', '--format', '']).stdout.split('\n')).toContain('--format=:format:(table json openclaw-json openclaw-simple)');
  });
});

it('refuses a shell it does not know', async () => {
  const run = await runCli(['completion', 'fish'], { home: dir });
  expect(run.code).toBe(3);
  expect(run.stderr).toMatch(/completion: expected bash or zsh, not "fish"/);
});
