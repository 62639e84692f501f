import { lazyFingerprint } from '../core/fingerprint.js';
import { describeProgramFailure, isProgramFailure, runProgram } from '../core/run-program.js';
import { checkEpochMs, checkEpochSeconds, checkIsoTime, type EpochCheck } from './epoch.js';
import { jwtExpiry } from './jwt.js';
import { expandHome } from '../core/paths.js';
import { parseJsonText, readCredentialFile } from '../core/files.js';
import type { Declared, ExpiryUnit } from './declared-schema.js';
import { makeProfile, problemProfile, type Profile, type SourceContext, type SourceVisit } from './source.js';
import { sourceNames } from './source-names.js';

/** `a.b.0.c` or `/a/b/0/c` (JSON pointer, with ~1 and ~0 escapes). */
function pickField(document: unknown, field: string): unknown {
  const keys = field.startsWith('/') ? field.slice(1).split('/').map((k) => k.replace(/~1/g, '/').replace(/~0/g, '~')) : field.split('.');
  let value: unknown = document;
  for (const key of keys) {
    if (value === null || typeof value !== 'object' || !Object.hasOwn(value, key)) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

/** An expiry in the declared unit → epoch ms, or words saying why not (every time passes the range check of epoch.ts). */
function interpretExpiry(value: unknown, unit: ExpiryUnit): { ok: true; ms: number } | { ok: false; message: string } {
  const field = 'the expiry';
  const number = typeof value === 'string' && /^\s*\d+(\.\d+)?\s*$/.test(value) ? Number(value) : value;
  let checked: EpochCheck;
  if (unit === 'jwt') {
    checked = typeof value === 'string' ? jwtExpiry(value.trim()) : { ok: true, ms: null };
    if (checked.ok && checked.ms === null) return { ok: false, message: 'is not a JWT with an exp claim' };
  } else if (unit === 'iso') checked = checkIsoTime(value, field);
  else checked = unit === 's' ? checkEpochSeconds(number, field) : checkEpochMs(number, field);
  if (!checked.ok) return { ok: false, message: checked.message.replace(/^the expiry /, '') };
  return checked.ms === null ? { ok: false, message: 'is empty' } : { ok: true, ms: checked.ms };
}

/** A declared command may print the expiry and little else. */
const maxCommandOutput = 1024 * 1024;

async function runCommand(command: readonly string[], timeoutMs: number): Promise<string> {
  try {
    return (await runProgram(command, timeoutMs, maxCommandOutput)).stdout;
  } catch (error) {
    if (!isProgramFailure(error)) throw error;
    throw new Error(describeProgramFailure(error, timeoutMs, maxCommandOutput));
  }
}

async function readOne(entry: Declared, index: number, context: SourceContext): Promise<{ profile: Profile; visit: SourceVisit }> {
  const base = { id: entry.id, provider: entry.provider, source: 'declared', type: entry.type };
  const where = `declared[${index}] (${entry.id})`;
  if ('env' in entry) {
    const value = context.env[entry.env]?.trim();
    const expires = checkIsoTime(entry.expiresAt, 'expiresAt');
    if (!expires.ok) {
      const message = `${where}: ${expires.message}`;
      return { profile: problemProfile({ ...base, path: null }, message), visit: { name: sourceNames.declared, path: null, found: true, ok: false, error: message } };
    }
    const expiresAt = expires.ms;
    if (value) context.handOverSecret?.({ source: 'declared', agent: null, id: entry.id }, { value });
    return {
      profile: makeProfile({ ...base, secret: value ? 'present' : 'absent', fingerprint: value ? lazyFingerprint(value) : null, expiresAt, notes: value ? [`from $${entry.env}`] : [`$${entry.env} is not set`] }),
      visit: { name: sourceNames.declared, path: null, found: Boolean(value), ok: true, error: null },
    };
  }
  if ('file' in entry) {
    const path = expandHome(entry.file, context.home);
    const fail = (message: string) => ({ profile: problemProfile({ ...base, path }, `${path}: ${message}`), visit: { name: sourceNames.declared, path, found: true, ok: false, error: `${path}: ${message}` } });
    const file = await readCredentialFile(path);
    if (file.kind === 'absent') return { profile: makeProfile({ ...base, path, secret: 'absent', notes: [`${path} does not exist (${where})`] }), visit: { name: sourceNames.declared, path, found: false, ok: true, error: null } };
    if (file.kind === 'error') return fail(file.message);
    const json = parseJsonText(file.text);
    if (!json.ok) return fail(json.message);
    const value = pickField(json.value, entry.field);
    if (value === undefined) return fail(`field ${entry.field} not found`);
    const expiry = interpretExpiry(value, entry.unit);
    if (!expiry.ok) return fail(`field ${entry.field} ${expiry.message} (unit ${entry.unit})`);
    return { profile: makeProfile({ ...base, path, expiresAt: expiry.ms }), visit: { name: sourceNames.declared, path, found: true, ok: true, error: null } };
  }
  // The program only: its arguments may carry a token (curl -H "Authorization: …").
  const shown = `${entry.command[0]}${entry.command.length > 1 ? ' …' : ''}`;
  try {
    const output = (await runCommand(entry.command, entry.timeout)).trim();
    const expiry = interpretExpiry(output, entry.unit);
    if (!expiry.ok) throw new Error(`printed something that ${expiry.message} (unit ${entry.unit})`);
    return { profile: makeProfile({ ...base, expiresAt: expiry.ms, notes: [`from \`${shown}\``] }), visit: { name: sourceNames.declared, path: null, found: true, ok: true, error: null } };
  } catch (error) {
    const message = `${where}: \`${shown}\` ${(error as Error).message}`;
    return { profile: problemProfile({ ...base, path: null }, message), visit: { name: sourceNames.declared, path: null, found: true, ok: false, error: message } };
  }
}

/** The config's declared credentials, each read on its own: one failing never hides the others. */
export async function readDeclared(entries: readonly Declared[], context: SourceContext): Promise<{ profiles: Profile[]; visits: SourceVisit[] }> {
  const results = await Promise.all(entries.map((entry, index) => readOne(entry, index, context)));
  return { profiles: results.map((r) => r.profile), visits: results.map((r) => r.visit) };
}
