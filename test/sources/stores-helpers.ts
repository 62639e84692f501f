import { expect } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { NOW_ISO } from '../helpers/clock.js';

interface JsonRow {
  id: string;
  provider: string;
  source: string;
  type: string | null;
  status: string;
  detail: string;
  path: string | null;
  fingerprint: string | null;
  expiresAt: string | null;
}

/** `authwatch check --json` on a home through the built CLI: its exit code and rows; no planted marker in any output. */
export async function checkJson(home: string, env: Record<string, string> = {}, marker = 'PLANTED') {
  const run = await runCli(['check', '--json', '--now', NOW_ISO], { home, env });
  expect(run.stderr).not.toMatch(/at .*\.js:\d+/); // never a stack trace
  expect(run.stdout + run.stderr).not.toContain(marker);
  const json = JSON.parse(run.stdout) as { exitCode: number; profiles: JsonRow[]; sources: { name: string; path: string | null; ok: boolean; error: string | null }[] };
  return { code: run.code, ...json, row: (id: string, source?: string) => json.profiles.find((p) => p.id === id && (source === undefined || p.source === source)) };
}
