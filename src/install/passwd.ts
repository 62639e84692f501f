import { readBoundedText } from '../core/files.js';

interface Account {
  name: string;
  home: string;
  uid: number;
  gid: number;
}

function parseEntry(line: string): Account | null {
  const fields = line.split(':');
  return fields.length >= 7 && fields[5] ? { name: fields[0]!, home: fields[5], uid: Number(fields[2]), gid: Number(fields[3]) } : null;
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

/** The groups `account` is in (`id -G`: NSS's answer, supplementary groups included); its primary group alone when `id` cannot say. */
export function groupsOf(account: Account): number[] {
  const { spawnSync } = process.getBuiltinModule('node:child_process');
  const id = spawnSync('id', ['-G', account.name], { encoding: 'utf8', timeout: 10_000 });
  const listed = !id.error && id.status === 0 ? id.stdout.trim().split(/\s+/).map(Number).filter(Number.isInteger) : [];
  return [...new Set([account.gid, ...listed])];
}
