import { execFileSync } from 'node:child_process';
import { mkdirSync, renameSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const source = fileURLToPath(new URL('../fixtures/link-denied/link-denied.c', import.meta.url));

const built = new Map<string, string>();

/**
 * The LD_PRELOAD shim whose link()/linkat() fail with EACCES, as Android's SELinux makes them
 * fail for apps — with `symlinks: false` symlink()/symlinkat() fail too (EPERM), as on shared
 * storage. Compiled with gcc once per source version (workers race to it, each renames a
 * whole file into place).
 */
export function linkDeniedShim(options: { symlinks: boolean } = { symlinks: true }): string {
  const variant = options.symlinks ? 'link-denied' : 'no-links';
  const known = built.get(variant);
  if (known) return known;
  const dir = join(tmpdir(), 'authwatch-link-denied');
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `${variant}-${Math.trunc(statSync(source).mtimeMs)}.so`);
  try {
    statSync(path);
  } catch {
    const partial = `${path}.${process.pid}`;
    execFileSync('gcc', ['-shared', '-fPIC', '-O2', '-Wall', '-Wextra', '-Werror', ...(options.symlinks ? [] : ['-DDENY_SYMLINK']), '-o', partial, source], { stdio: 'pipe' });
    renameSync(partial, path);
  }
  built.set(variant, path);
  return path;
}

/**
 * The environment the CLI children of this test run get on top of their own: under the
 * `link-denied` test project (vitest.config.ts) every authwatch they start runs with link()
 * denied, as on Android.
 */
export function childPreload(): Record<string, string> {
  return process.env.AUTHWATCH_TEST_LINK_DENIED ? { LD_PRELOAD: linkDeniedShim() } : {};
}
