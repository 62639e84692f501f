import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign } from 'node:crypto';
import { dirname, join } from 'node:path';
import { makeDirectory, writeFileAtomic } from '../core/atomic-write.js';
import { readCredentialFile, parseJsonText } from '../core/files.js';
import { distrustOf } from '../core/file-trust.js';
import { registerSecret } from '../core/scrub.js';

// The device identity authwatch pairs with a gateway: an Ed25519 key pair it keeps, as the
// Gateway protocol asks of every client (OpenClaw's docs/gateway/clients.md "Choose scopes and pair the
// device"). Encodings as OpenClaw 2026.9.6 makes them (dist/ed25519-signature-*.mjs,
// device-identity-*.mjs): the device id is the SHA-256 hex of the raw public key, the public
// key and signatures travel as unpadded base64url. One file per gateway URL, 0600, in
// authwatch's state dir; it also keeps the device token a gateway issues after pairing.

export interface DeviceIdentity {
  deviceId: string;
  publicKeyPem: string;
  privateKeyPem: string;
}

export interface GatewayDevice {
  identity: DeviceIdentity;
  /** The device token the gateway issued for a role, if any. */
  token(role: string): { token: string; scopes: string[] } | null;
  storeToken(role: string, token: string, scopes: string[]): void;
  clearToken(role: string): void;
  /** Remembers the pairing request the gateway is waiting on (for `authwatch status`), or that there is none. */
  markPairing(pending: PendingPairing | null): void;
}

/** A pairing request waiting for `openclaw devices approve <requestId>` on the gateway host. */
export interface PendingPairing {
  requestId: string | null;
  since: number;
}

interface DeviceFile {
  version: 1;
  url: string;
  deviceId: string;
  publicKeyPem: string;
  privateKeyPem: string;
  tokens: Record<string, { token: string; scopes: string[] }>;
  pairing?: PendingPairing | undefined;
}

/** The raw 32-byte Ed25519 public key: the SPKI DER minus its fixed 12-byte prefix. */
function rawPublicKey(publicKeyPem: string): Buffer {
  return createPublicKey(publicKeyPem).export({ type: 'spki', format: 'der' }).subarray(12);
}

export const publicKeyRawBase64Url = (publicKeyPem: string): string => rawPublicKey(publicKeyPem).toString('base64url');
export const signDevicePayload = (privateKeyPem: string, payload: string): string => sign(null, Buffer.from(payload, 'utf8'), createPrivateKey(privateKeyPem)).toString('base64url');

/** Where the device file of `url` lives in authwatch's state dir. */
export function deviceFilePath(stateDir: string, url: string): string {
  return join(stateDir, `gateway-device-${createHash('sha256').update(url).digest('hex').slice(0, 12)}.json`);
}

function newIdentity(): DeviceIdentity {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const publicKeyPem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
  const privateKeyPem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  return { deviceId: createHash('sha256').update(rawPublicKey(publicKeyPem)).digest('hex'), publicKeyPem, privateKeyPem };
}

function parseDeviceFile(text: string, url: string): DeviceFile | null {
  const json = parseJsonText(text);
  if (!json.ok || typeof json.value !== 'object' || json.value === null) return null;
  const value = json.value as Partial<DeviceFile>;
  if (value.version !== 1 || value.url !== url || typeof value.publicKeyPem !== 'string' || typeof value.privateKeyPem !== 'string') return null;
  try {
    const deviceId = createHash('sha256').update(rawPublicKey(value.publicKeyPem)).digest('hex');
    if (deviceId !== value.deviceId) return null;
    createPrivateKey(value.privateKeyPem);
  } catch {
    return null;
  }
  const tokens: DeviceFile['tokens'] = {};
  for (const [role, entry] of Object.entries(value.tokens ?? {})) {
    if (typeof entry?.token === 'string' && Array.isArray(entry.scopes)) tokens[role] = { token: entry.token, scopes: entry.scopes.filter((s) => typeof s === 'string') };
  }
  const pairing = readPairing(value.pairing);
  return { version: 1, url, deviceId: value.deviceId, publicKeyPem: value.publicKeyPem, privateKeyPem: value.privateKeyPem, tokens, ...(pairing ? { pairing } : {}) };
}

function readPairing(value: unknown): PendingPairing | null {
  if (typeof value !== 'object' || value === null) return null;
  const { requestId, since } = value as Partial<PendingPairing>;
  if (typeof since !== 'number' || !Number.isFinite(since)) return null;
  return { requestId: typeof requestId === 'string' && /^[A-Za-z0-9_-]{1,128}$/.test(requestId) ? requestId : null, since };
}

/** What a device file says about pairing, for `authwatch status`: the gateway's URL and the pending request, if any. */
export function pendingPairingOf(text: string): { url: string; pairing: PendingPairing } | null {
  const json = parseJsonText(text);
  if (!json.ok || typeof json.value !== 'object' || json.value === null) return null;
  const { url, pairing } = json.value as Partial<DeviceFile>;
  const pending = readPairing(pairing);
  return typeof url === 'string' && pending ? { url, pairing: pending } : null;
}

/**
 * The device of `url`: read from `path`, or made and written (0600) when there is none or it
 * cannot be used (another user's, writable by others, damaged). The keys and device tokens are
 * handed to the scrubber: they never appear in any output.
 */
export async function loadOrCreateDevice(path: string, url: string): Promise<GatewayDevice> {
  makeDirectory(dirname(path), 0o700);
  const read = await readCredentialFile(path, (info) => distrustOf(info, path, true));
  let file = read.kind === 'ok' ? parseDeviceFile(read.text, url) : null;
  const save = (next: DeviceFile) => writeFileAtomic(path, `${JSON.stringify(next, null, 2)}\n`, { mode: 0o600, durable: true });
  if (!file) {
    const identity = newIdentity();
    file = { version: 1, url, ...identity, tokens: {} };
    save(file);
  }
  registerSecret(file.privateKeyPem);
  for (const entry of Object.values(file.tokens)) registerSecret(entry.token);
  const current = file;
  return {
    identity: { deviceId: current.deviceId, publicKeyPem: current.publicKeyPem, privateKeyPem: current.privateKeyPem },
    token: (role) => current.tokens[role] ?? null,
    storeToken: (role, token, scopes) => {
      registerSecret(token);
      current.tokens[role] = { token, scopes };
      save(current);
    },
    clearToken: (role) => {
      if (!(role in current.tokens)) return;
      delete current.tokens[role];
      save(current);
    },
    markPairing: (pending) => {
      if (pending === null && current.pairing === undefined) return;
      if (pending !== null && current.pairing?.requestId === pending.requestId) return;
      current.pairing = pending ?? undefined;
      save(current);
    },
  };
}
