import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { findTool } from './helpers/tools.js';

// npm runs `prepare` after `npm install` / `npm ci` in a clone: it must build dist/ where the
// devDependencies are, and pass quietly where they are not (an install with --omit=dev).

const repo = fileURLToPath(new URL('..', import.meta.url));
const clones: string[] = [];
afterEach(() => clones.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));

function freshClone(): string {
  const dir = mkdtempSync(join(tmpdir(), 'authwatch-clone-'));
  clones.push(dir);
  const clone = spawnSync('git', ['clone', '--quiet', repo, dir], { encoding: 'utf8', timeout: 30_000 });
  expect(clone.status, clone.stderr).toBe(0);
  return dir;
}

const npm = (dir: string, args: string[]) => spawnSync('npm', args, { cwd: dir, encoding: 'utf8', timeout: 60_000, env: { ...process.env, npm_config_update_notifier: 'false' } });

describe.runIf(Boolean(findTool('git')) && Boolean(findTool('npm')))('npm prepare in a fresh clone (child processes)', () => {
  it('with the devDependencies: builds dist/, and the command runs', () => {
    const dir = freshClone();
    symlinkSync(join(repo, 'node_modules'), join(dir, 'node_modules'));
    const prepare = npm(dir, ['run', 'prepare', '--silent']);
    expect(prepare.status, prepare.stderr).toBe(0);
    const version = spawnSync(process.execPath, [join(dir, 'dist/cli/main.js'), '--version'], { encoding: 'utf8', timeout: 20_000 });
    expect(version).toMatchObject({ status: 0, stdout: `${JSON.parse(npm(dir, ['pkg', 'get', 'version']).stdout)}\n`, stderr: '' });
  }, 90_000);

  it('without esbuild: nothing to build, no error', () => {
    const dir = freshClone();
    const prepare = npm(dir, ['run', 'prepare', '--silent']);
    expect(prepare).toMatchObject({ status: 0, stderr: '' });
    expect(existsSync(join(dir, 'dist'))).toBe(false);
  }, 90_000);
});
