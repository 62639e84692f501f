import * as z from '../core/zod.js';
import { describeIssues } from '../core/zod-issues.js';
import { parseJsonText } from '../core/files.js';
import type { Profile, SourceVisit } from './source.js';
import type { RequiredProvider } from './openclaw-config.js';
import { describeProgramFailure, isProgramFailure, runProgram, type ProgramFailure } from '../core/run-program.js';
import { sourceNames } from './source-names.js';
import { reportedProfile } from './openclaw-reported.js';

const statusProfile = z.looseObject({
  profileId: z.string(),
  provider: z.string(),
  type: z.catch(z.enum(['api_key', 'token', 'oauth']), 'token'),
  status: z.string(),
  /** Why a profile is not usable (`expired`, `invalid_expires`, `unresolved_ref`, …). */
  reasonCode: z.nullish(z.string()),
  expiresAt: z.nullish(z.unknown()),
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

type OpenclawCliResult =
  | { ok: true; profiles: Profile[]; required: RequiredProvider[]; visit: SourceVisit }
  | { ok: false; visit: SourceVisit };

const name = sourceNames.openclawCli;

/** `models status --json` of a large install is a few hundred KB. */
const maxOutput = 16 * 1024 * 1024;

/** The failure in words plus OpenClaw's own one-line reason from its stderr, never the raw output. */
function reasonOf(error: ProgramFailure, timeoutMs: number): string {
  const said = error.reason === 'exit' ? (/Reason: (.*)/.exec(error.stderr)?.[1] ?? '') : '';
  return `${describeProgramFailure(error, timeoutMs, maxOutput)}${said ? `: ${said.slice(0, 200)}` : ''}`;
}

/** One profile of OpenClaw's answer; 0 and 1 are its markers for "no usable expiry" (a refresh fence stores `expires: 1`). */
function profileFromStatus(p: z.output<typeof statusProfile>, agent: string | null, path: string | null): Profile {
  return reportedProfile({
    row: { id: p.profileId, provider: p.provider, source: name, type: p.type, agent, path },
    who: 'OpenClaw',
    status: p.status,
    reasonCode: p.reasonCode,
    expiresAt: p.expiresAt === 0 || p.expiresAt === 1 ? null : p.expiresAt,
    field: 'its expiresAt',
    where: 'openclaw models status',
  });
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
    stdout = (await runProgram(argv, options.timeoutMs, maxOutput)).stdout;
  } catch (error) {
    if (!isProgramFailure(error)) throw error;
    return fail(reasonOf(error, options.timeoutMs));
  }
  const json = parseJsonText(stdout);
  if (!json.ok) return fail('printed something that is not JSON');
  const parsed = modelsStatus.safeParse(json.value);
  if (!parsed.success) return fail(`printed unexpected JSON (${describeIssues(parsed.error).slice(0, 2).join('; ')})`);
  const { auth } = parsed.data;
  const path = auth.storePath ?? null;
  const profiles = auth.oauth.profiles.map((p) => profileFromStatus(p, options.agent, path));
  const required = auth.missingProvidersInUse.map((provider) => ({ provider, reason: 'in use by OpenClaw with no credential (openclaw models status)' }));
  return { ok: true, profiles, required, visit: { name, path, found: true, ok: true, error: null } };
}
