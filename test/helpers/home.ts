import { chmodSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach } from 'vitest';
import { killChildren } from './children.js';

/** A file to create: text, a JSON value, or either with an explicit mode. */
export type FileSpec = string | { json: unknown; mode?: number } | { text: string; mode?: number };

const created: string[] = [];

// The test's children go first: one still writing into a home makes its removal fail (ENOTEMPTY).
afterEach(async () => {
  await killChildren('test');
  for (const dir of created.splice(0)) rmSync(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
});

/**
 * A throwaway home directory built from an object literal of relative paths, removed after
 * the test. Directories are world-readable so a test can run the CLI as another user.
 */
export function makeHome(files: Record<string, FileSpec> = {}): string {
  const home = mkdtempSync(join(tmpdir(), 'authwatch-home-'));
  chmodSync(home, 0o755);
  created.push(home);
  writeFiles(home, files);
  return home;
}

export function writeFiles(root: string, files: Record<string, FileSpec>): void {
  for (const [relative, spec] of Object.entries(files)) {
    const path = join(root, relative);
    mkdirSync(dirname(path), { recursive: true, mode: 0o755 });
    const text = typeof spec === 'string' ? spec : 'json' in spec ? JSON.stringify(spec.json, null, 2) : spec.text;
    writeFileSync(path, text, { mode: typeof spec === 'string' ? 0o600 : (spec.mode ?? 0o600) });
    chmodSync(path, typeof spec === 'string' ? 0o600 : (spec.mode ?? 0o600));
  }
}

export const agentStore = (agent: string) => `.openclaw/agents/${agent}/agent/auth-profiles.json`;

/** Every file under `dir` (none when it cannot be read), for the "the secret is nowhere" checks. */
export function filesUnder(dir: string): string[] {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  return entries.flatMap((entry) => (entry.isDirectory() ? filesUnder(join(dir, entry.name)) : [join(dir, entry.name)]));
}
