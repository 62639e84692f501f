import * as z from '../core/zod.js';
import { describeIssues } from '../core/zod-issues.js';
import { parseJsonText } from '../core/files.js';
import { makeProfile, type Profile, type SourceVisit } from './source.js';
import type { RequiredProvider } from './openclaw-config.js';
import { runProgram, type ProgramFailure } from '../core/run-program.js';

const statusProfile = z.looseObject({
  profileId: z.string(),
  provider: z.string(),
  type: z.catch(z.enum(['api_key', 'token', 'oauth']), 'token'),
  status: z.string(),
  expiresAt: z.nullish(z.number()),
});

/** The part of `openclaw models status --json` authwatch uses (labels hold masked secrets: never read). */
const modelsStatus = z.looseObject({
  auth: z.looseObject({
    storePath: z.nullish(z.string()),
    missingProvidersInUse: z._default(z.array(z.string()), []),
    oauth: z.looseObject({ profiles: z._default(z.array(statusProfile), []) }),
  }),
});

export interface OpenclawCliOptions {
  command: readonly string[];
  agent: string | null;
  timeoutMs: number;
}

export type OpenclawCliResult =
  | { ok: true; profiles: Profile[]; required: RequiredProvider[]; visit: SourceVisit }
  | { ok: false; visit: SourceVisit };

const name = 'openclaw-cli';

/** OpenClaw's own one-line reason from its JSON error or stderr, never the raw output. */
function reasonOf(error: ProgramFailure, timeoutMs: number): string {
  if (error.code === 'ENOENT') return 'not found on PATH';
  if (error.killed || error.signal === 'SIGKILL') return `no answer within ${timeoutMs / 1000}s`;
  const said = /Reason: (.*)/.exec(error.stderr ?? '')?.[1] ?? '';
  return `exited with ${error.code ?? 'an error'}${said ? `: ${said.slice(0, 200)}` : ''}`;
}

/**
 * Asks OpenClaw itself (`openclaw models status --json`, with a timeout) for its profiles and
 * the providers in use that have no credential. Its statuses become profiles with OpenClaw's
 * own expiry; whether an OAuth profile holds a refresh token is not in that output.
 */
export async function readOpenclawCli(options: OpenclawCliOptions): Promise<OpenclawCliResult> {
  const args = ['models', 'status', '--json', ...(options.agent ? ['--agent', options.agent] : [])];
  const argv = [...options.command, ...args];
  // The program, not its configured arguments: `["env", "KEY=…", "openclaw"]` carries a secret.
  const shown = [options.command[0], ...(options.command.length > 1 ? ['…'] : []), ...args].join(' ');
  const fail = (reason: string): OpenclawCliResult => ({
    ok: false,
    visit: { name, path: null, found: true, ok: false, error: `\`${shown}\` ${reason}; read the credential files instead` },
  });
  let stdout: string;
  try {
    stdout = (await runProgram(argv, options.timeoutMs, 16 * 1024 * 1024)).stdout;
  } catch (error) {
    return fail(reasonOf(error as ProgramFailure, options.timeoutMs));
  }
  const json = parseJsonText(stdout);
  if (!json.ok) return fail('printed something that is not JSON');
  const parsed = modelsStatus.safeParse(json.value);
  if (!parsed.success) return fail(`printed unexpected JSON (${describeIssues(parsed.error).slice(0, 2).join('; ')})`);
  const { auth } = parsed.data;
  const path = auth.storePath ?? null;
  const profiles = auth.oauth.profiles.map((p) =>
    makeProfile({
      id: p.profileId,
      provider: p.provider,
      source: name,
      type: p.type,
      agent: options.agent,
      path,
      expiresAt: typeof p.expiresAt === 'number' && p.expiresAt > 1 ? p.expiresAt : null,
      secret: p.status === 'missing' ? 'absent' : 'present',
      notes: [`OpenClaw says ${p.status}`],
    }),
  );
  const required = auth.missingProvidersInUse.map((provider) => ({ provider, reason: 'in use by OpenClaw with no credential (openclaw models status)' }));
  return { ok: true, profiles, required, visit: { name, path, found: true, ok: true, error: null } };
}
