import { chmodSync, chownSync, existsSync, linkSync, readFileSync, symlinkSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveGatewayTargets } from '../../src/sources/gateway-target.js';
import { scrub } from '../../src/core/scrub.js';
import { contextFor } from '../helpers/context.js';
import { makeHome, writeFiles } from '../helpers/home.js';

// gateway.auth SecretRefs of the file and exec sources, resolved as OpenClaw 2026.9.6 does
// (dist src/secrets/resolve.ts, exec-provider-path-validation.ts, @openclaw/fs-safe readSecureFile;
// docs/gateway/secrets/secretref-contract.md): real files with real modes and links, real
// resolver scripts run as child processes.

const token = 'gw-secret-token-0123456789abcdef';

/** A home whose openclaw.json has `gateway.auth.token` = `ref` and the given `secrets`. */
function homeWith(ref: unknown, secrets: unknown, files: Parameters<typeof makeHome>[0] = {}): string {
  return makeHome({ ...files, '.openclaw/openclaw.json': { json: { gateway: { port: 40111, auth: { mode: 'token', token: ref } }, secrets } } });
}

const tokenOf = async (home: string, env: Record<string, string> = {}) => (await resolveGatewayTargets({ context: contextFor(home, env), flag: undefined, configured: [] }))[0]!.token;

/** The error a resolution fails with; it never holds the secret. */
async function failure(home: string, env: Record<string, string> = {}): Promise<string> {
  const error = await tokenOf(home, env).then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(Error);
  const message = (error as Error).message;
  expect(message).not.toContain(token);
  expect(message).toMatch(/^openclaw\.json gateway\.auth\.token: /);
  return message;
}

const fileProvider = (path: string, extra: Record<string, unknown> = {}) => ({ providers: { gwfile: { source: 'file', path, ...extra } } });
const fileRef = (id: string) => ({ source: 'file', provider: 'gwfile', id });

describe('file SecretRefs', () => {
  it('json mode: an RFC 6901 pointer into a private file; `~` is OpenClaw\'s home', async () => {
    const files = { 'secrets.json': { json: { gateway: { 'a/b': [{ 'x~y': token }] } } } };
    expect(await tokenOf(homeWith(fileRef('/gateway/a~1b/0/x~0y'), fileProvider('~/secrets.json'), files))).toBe(token);
  });

  it('singleValue mode: the file itself, one trailing newline and a BOM dropped; the id must be "value"', async () => {
    const files = { 'token.txt': { text: `\uFEFF${token}\n` } };
    expect(await tokenOf(homeWith(fileRef('value'), fileProvider('~/token.txt', { mode: 'singleValue' }), files))).toBe(token);
    expect(await failure(homeWith(fileRef('/token'), fileProvider('~/token.txt', { mode: 'singleValue' }), files))).toMatch(/singleValue file provider, whose ref id must be "value"/);
  });

  it('a ref without provider takes secrets.defaults.file, as OpenClaw coerces it', async () => {
    const files = { 'secrets.json': { json: { t: token } } };
    expect(await tokenOf(homeWith({ source: 'file', id: '/t' }, { ...fileProvider('~/secrets.json'), defaults: { file: 'gwfile' } }, files))).toBe(token);
  });

  it('refuses a file other users can read or write, naming the field and the fix', async () => {
    for (const mode of [0o640, 0o604, 0o620, 0o602]) {
      const home = homeWith(fileRef('/t'), fileProvider('~/secrets.json'), { 'secrets.json': { json: { t: token }, mode } });
      expect(await failure(home)).toMatch(/secrets\.providers\.gwfile\.path \(.*secrets\.json\) is readable or writable by other users \(mode 6\d\d\); chmod 600 it/);
    }
  });

  it('refuses a symlink, a hard-linked file, a FIFO (without blocking), a missing file', async () => {
    const home = makeHome({ 'real.json': { json: { t: token } } });
    symlinkSync(join(home, 'real.json'), join(home, 'link.json'));
    writeFiles(home, { '.openclaw/openclaw.json': { json: { gateway: { auth: { token: fileRef('/t') } }, secrets: fileProvider('~/link.json') } } });
    expect(await failure(home)).toMatch(/link\.json\) is a symlink, which OpenClaw refuses; point the path at the file itself/);

    linkSync(join(home, 'real.json'), join(home, 'hard.json'));
    writeFiles(home, { '.openclaw/openclaw.json': { json: { gateway: { auth: { token: fileRef('/t') } }, secrets: fileProvider('~/hard.json') } } });
    expect(await failure(home)).toMatch(/is hard-linked/);

    execFileSync('mkfifo', ['-m', '600', join(home, 'fifo')]);
    writeFiles(home, { '.openclaw/openclaw.json': { json: { gateway: { auth: { token: fileRef('/t') } }, secrets: fileProvider('~/fifo') } } });
    expect(await failure(home)).toMatch(/fifo\) is not a regular file/);

    writeFiles(home, { '.openclaw/openclaw.json': { json: { gateway: { auth: { token: fileRef('/t') } }, secrets: fileProvider('~/nothing.json') } } });
    expect(await failure(home)).toMatch(/nothing\.json\) does not exist/);
  });

  it('refuses a file over maxBytes, bad JSON (without quoting it), a non-object, a pointer to nothing, a non-string value', async () => {
    const big = homeWith(fileRef('/t'), fileProvider('~/s.json', { maxBytes: 64 }), { 's.json': { json: { t: token, pad: 'x'.repeat(100) } } });
    expect(await failure(big)).toMatch(/is larger than 64 bytes \(maxBytes\); shrink it or raise secrets\.providers\.gwfile\.maxBytes/);
    const bad = homeWith(fileRef('/t'), fileProvider('~/s.json'), { 's.json': { text: `{ t: "${token}" ` } });
    expect(await failure(bad)).toMatch(/is not valid JSON; fix the file, or set secrets\.providers\.gwfile\.mode to "singleValue"/);
    expect(await failure(homeWith(fileRef('/t'), fileProvider('~/s.json'), { 's.json': { json: [token] } }))).toMatch(/does not hold a JSON object/);
    expect(await failure(homeWith(fileRef('/gateway/tokn'), fileProvider('~/s.json'), { 's.json': { json: { gateway: { token } } } }))).toMatch(/JSON pointer "\/gateway\/tokn" does not exist/);
    expect(await failure(homeWith(fileRef('/t'), fileProvider('~/s.json'), { 's.json': { json: { t: 42 } } }))).toMatch(/resolves to an empty or non-string value/);
  });

  it('refuses a ref whose provider is not configured or has another source, and an invalid id', async () => {
    expect(await failure(homeWith(fileRef('/t'), {}))).toMatch(/names the secret provider "gwfile", which secrets\.providers does not define; add secrets\.providers\.gwfile with source "file"/);
    expect(await failure(homeWith(fileRef('/t'), { providers: { gwfile: { source: 'env' } } }))).toMatch(/secrets\.providers\.gwfile has source "env" but the ref asks for "file"/);
    expect(await failure(homeWith(fileRef('t'), fileProvider('~/s.json')))).toMatch(/file ref id must be an absolute JSON pointer/);
  });
});

/** A resolver script in the home (0700, owned by this user). */
function resolver(home: string, name: string, body: string, mode = 0o700): string {
  const path = join(home, 'bin', name);
  writeFiles(home, { [`bin/${name}`]: { text: `#!/bin/sh\n${body}\n`, mode } });
  chmodSync(join(home, 'bin'), 0o700);
  return path;
}

const execRef = { source: 'exec', provider: 'vault', id: 'gateway/token#value' };
const execProvider = (command: string, extra: Record<string, unknown> = {}) => ({ providers: { vault: { source: 'exec', command, ...extra } } });

describe('exec SecretRefs', () => {
  it('sends the protocol request on stdin, in its own directory, with only passEnv and env; reads values[id]', async () => {
    const home = makeHome();
    const log = join(home, 'request.txt');
    const command = resolver(
      home,
      'vault',
      `/bin/cat > ${log}; { echo; pwd; /usr/bin/env | /usr/bin/sort; } >> ${log}\nprintf '{"protocolVersion":1,"values":{"gateway/token#value":"%s"}}' "$SECRET_TOKEN"`,
    );
    writeFiles(home, { '.openclaw/openclaw.json': { json: { gateway: { auth: { token: execRef } }, secrets: execProvider(command, { passEnv: ['VAULT_ADDR', 'UNSET_ONE'], env: { SECRET_TOKEN: token } }) } } });
    expect(await tokenOf(home, { VAULT_ADDR: 'http://vault.local', OTHER: 'must-not-pass' })).toBe(token);
    const seen = readFileSync(log, 'utf8').split('\n');
    expect(JSON.parse(seen[0]!)).toEqual({ protocolVersion: 1, provider: 'vault', ids: ['gateway/token#value'] });
    expect(seen[1]).toBe(join(home, 'bin'));
    expect(seen.join('\n')).toContain('VAULT_ADDR=http://vault.local');
    expect(seen.join('\n')).not.toMatch(/OTHER=|UNSET_ONE=|HOME=/);
  });

  it('jsonOnly: false takes a bare value for the one id', async () => {
    const home = makeHome();
    const command = resolver(home, 'plain', `/bin/cat >/dev/null; echo ${token}`);
    writeFiles(home, { '.openclaw/openclaw.json': { json: { gateway: { auth: { token: execRef } }, secrets: execProvider(command, { jsonOnly: false }) } } });
    expect(await tokenOf(home)).toBe(token);
    writeFiles(home, { '.openclaw/openclaw.json': { json: { gateway: { auth: { token: execRef } }, secrets: execProvider(command) } } });
    expect(await failure(home)).toMatch(/the exec provider "vault" printed something that is not JSON/);
  });

  it('a hang is killed with its whole process group at timeoutMs; silence at noOutputTimeoutMs', async () => {
    const home = makeHome();
    const pids = join(home, 'pids');
    const command = resolver(home, 'hang', `/bin/sleep 300 & echo $! > ${pids}; /bin/sleep 300`);
    writeFiles(home, { '.openclaw/openclaw.json': { json: { gateway: { auth: { token: execRef } }, secrets: execProvider(command, { timeoutMs: 500 }) } } });
    expect(await failure(home)).toMatch(/the exec provider "vault" timed out after 500 ms \(killed\); make it answer sooner or raise secrets\.providers\.vault\.timeoutMs/);
    const grandchild = Number(readFileSync(pids, 'utf8'));
    await expect.poll(() => existsSync(`/proc/${grandchild}`) && !readFileSync(`/proc/${grandchild}/stat`, 'utf8').includes(') Z '), { timeout: 5000 }).toBe(false);

    writeFiles(home, { '.openclaw/openclaw.json': { json: { gateway: { auth: { token: execRef } }, secrets: execProvider(command, { timeoutMs: 60_000, noOutputTimeoutMs: 300 }) } } });
    expect(await failure(home)).toMatch(/printed nothing for 300 ms \(killed\)/);
  });

  it('huge output is cut at maxOutputBytes and killed; a bad answer, a wrong id, a resolver error and a non-zero exit are refused without quoting them', async () => {
    const home = makeHome();
    const cases: [string, string, RegExp][] = [
      ['huge', `/bin/cat >/dev/null; while :; do echo "${token}${token}${token}"; done`, /printed more than 4096 bytes \(maxOutputBytes; killed\)/],
      ['garbage', `/bin/cat >/dev/null; echo '{"protocolVersion":1,"values":{"gateway/token#value":"${token}"'`, /printed something that is not JSON/],
      ['version', `/bin/cat >/dev/null; echo '{"protocolVersion":2,"values":{"gateway/token#value":"${token}"}}'`, /has no "protocolVersion": 1/],
      ['wrongid', `/bin/cat >/dev/null; echo '{"protocolVersion":1,"values":{"other":"${token}"}}'`, /has no value for the ref's id; check the ref id/],
      ['errors', `/bin/cat >/dev/null; echo '{"protocolVersion":1,"values":{},"errors":{"gateway/token#value":{"code":"NOT_FOUND","message":"${token}"}}}'`, /failed for the ref's id \(NOT_FOUND\)/],
      ['exit', `/bin/cat >/dev/null; echo "${token}" >&2; exit 3`, /exited with code 3; run it by hand/],
      ['empty', '/bin/cat >/dev/null', /printed nothing on stdout/],
    ];
    for (const [name, body, expected] of cases) {
      writeFiles(home, { '.openclaw/openclaw.json': { json: { gateway: { auth: { token: execRef } }, secrets: execProvider(resolver(home, name, body), { maxOutputBytes: 4096 }) } } });
      expect(await failure(home), name).toMatch(expected);
    }
  });

  it('refuses a command that is group- or world-writable, a symlink, outside trustedDirs, relative, or missing — without running it', async () => {
    const home = makeHome();
    const ran = join(home, 'ran');
    const body = `/usr/bin/touch ${ran}; echo '{"protocolVersion":1,"values":{"gateway/token#value":"${token}"}}'`;
    const config = (command: string, extra: Record<string, unknown> = {}) =>
      writeFiles(home, { '.openclaw/openclaw.json': { json: { gateway: { auth: { token: execRef } }, secrets: execProvider(command, extra) } } });
    config(resolver(home, 'groupw', body, 0o770));
    expect(await failure(home)).toMatch(/secrets\.providers\.vault\.command \(.*groupw\) is writable by other users \(mode 770\); chmod go-w/);
    config(resolver(home, 'worldw', body, 0o702));
    expect(await failure(home)).toMatch(/is writable by other users \(mode 702\)/);
    const good = resolver(home, 'good', body);
    symlinkSync(good, join(home, 'bin', 'alias'));
    config(join(home, 'bin', 'alias'));
    expect(await failure(home)).toMatch(/alias\) must not be a symlink; configure the real path/);
    config(good, { trustedDirs: ['/usr/local/libexec'] });
    expect(await failure(home)).toMatch(/is outside trustedDirs/);
    config('bin/good');
    expect(await failure(home)).toMatch(/must be an absolute path without shell characters/);
    config(join(home, 'bin', 'missing'));
    expect(await failure(home)).toMatch(/missing\) is not readable/);
    expect(existsSync(ran)).toBe(false);
    config(good, { trustedDirs: [join(home, 'bin')] });
    expect(await tokenOf(home)).toBe(token);
    expect(existsSync(ran)).toBe(true);
  });

  it('a command or a secrets file owned by another user is refused, as OpenClaw refuses it', async () => {
    const home = makeHome({ 's.json': { json: { t: token } } });
    // As root, a copy given to nobody (65534); else root's /bin/true.
    const root = process.getuid?.() === 0;
    const command = root ? resolver(home, 'theirs', 'exit 0') : '/bin/true';
    if (root) {
      chownSync(command, 65534, 65534);
      chownSync(join(home, 's.json'), 65534, 65534);
    }
    const other = root ? 65534 : 0;
    writeFiles(home, { '.openclaw/openclaw.json': { json: { gateway: { auth: { token: execRef } }, secrets: execProvider(command) } } });
    expect(await failure(home)).toMatch(new RegExp(`is owned by uid ${other}, not by this user`));
    if (!root) return;
    writeFiles(home, { '.openclaw/openclaw.json': { json: { gateway: { auth: { token: fileRef('/t') } }, secrets: fileProvider('~/s.json') } } });
    expect(await failure(home)).toMatch(/s\.json\) is owned by uid 65534, not by this user \(uid 0\); make this user its owner/);
  });

  it('the resolved secret is handed to the scrubber', async () => {
    const home = makeHome();
    const command = resolver(home, 'vault', `/bin/cat >/dev/null; echo '{"protocolVersion":1,"values":{"gateway/token#value":"${token}-scrubbed"}}'`);
    writeFiles(home, { '.openclaw/openclaw.json': { json: { gateway: { auth: { token: execRef } }, secrets: execProvider(command) } } });
    expect(await tokenOf(home)).toBe(`${token}-scrubbed`);
    expect(scrub(`said ${token}-scrubbed`)).not.toContain(token);
  });
});
