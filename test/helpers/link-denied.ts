import { execFileSync } from 'node:child_process';
import { mkdirSync, renameSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const source = fileURLToPath(new URL('../fixtures/link-denied/link-denied.c', import.meta.url));

let built: string | undefined;

/**
 * The LD_PRELOAD shim whose link()/linkat() fail with EACCES, as Android's SELinux makes them
 * fail for apps: compiled with gcc once per source version (workers race to it, each renames a
 * whole file into place).
 */
export function linkDeniedShim(): string {
  if (built) return built;
  const dir = join(tmpdir(), 'authwatch-link-denied');
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `link-denied-${Math.trunc(statSync(source).mtimeMs)}.so`);
  try {
    statSync(path);
  } catch {
    const partial = `${path}.${process.pid}`;
    execFileSync('gcc', ['-shared', '-fPIC', '-O2', '-Wall', '-Wextra', '-Werror', '-o', partial, source], { stdio: 'pipe' });
    renameSync(partial, path);
  }
  return (built = path);
}

/**
 * The environment the CLI children of this test run get on top of their own: under the
 * `link-denied` test project (vitest.config.ts) every authwatch they start runs with link()
 * denied, as on Android.
 */
export function childPreload(): Record<string, string> {
  return process.env.AUTHWATCH_TEST_LINK_DENIED ? { LD_PRELOAD: linkDeniedShim() } : {};
}
