import { readBoundedText } from '../core/files.js';

export interface Account {
  name: string;
  home: string;
}

function parseEntry(line: string): Account | null {
  const fields = line.split(':');
  return fields.length >= 7 && fields[5] ? { name: fields[0]!, home: fields[5] } : null;
}

/**
 * The passwd entry of `name` as the system sees it: `getent` asks NSS (LDAP, systemd-userdb, …
 * as well as /etc/passwd); without getent, /etc/passwd is read. `null` when there is no such user.
 */
export function lookupAccount(name: string): Account | null {
  const { spawnSync } = process.getBuiltinModule('node:child_process');
  const getent = spawnSync('getent', ['passwd', name], { encoding: 'utf8', timeout: 10_000 });
  if (!getent.error) return getent.status === 0 ? parseEntry(getent.stdout.split('\n')[0] ?? '') : null;
  const passwd = readBoundedText('/etc/passwd', 64 * 1024 * 1024);
  if (passwd.kind !== 'ok') return null;
  return passwd.text.split('\n').map(parseEntry).find((entry) => entry?.name === name) ?? null;
}
