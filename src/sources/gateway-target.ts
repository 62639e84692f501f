import { AuthwatchError } from '../core/errors.js';
import { readCredentialFile } from '../core/files.js';
import { parseJson5Text } from '../core/json5-text.js';
import { isJsonObject } from '../core/json-reader.js';
import { registerSecret, urlForMessages } from '../core/scrub.js';
import { openclawConfigPath } from './openclaw-paths.js';
import { resolveSecretInput, secretsConfigOf, type SecretsConfig } from './secret-providers.js';
import type { GatewayTarget } from './gateway.js';
import type { SourceContext } from './source.js';

// Which gateways a check reads, and with which credentials — as OpenClaw's own CLI finds them
// (its docs/gateway/config-gateway.md, docs/gateway/remote.md): `--gateway URL`, else the authwatch
// config's `gateways`, else `$OPENCLAW_GATEWAY_URL`, else openclaw.json's remote gateway
// (`gateway.mode: "remote"`, `gateway.remote.url`), else the local gateway on loopback at
// `$OPENCLAW_GATEWAY_PORT` / `gateway.port` / 18789. Credentials: `$OPENCLAW_GATEWAY_TOKEN` /
// `$OPENCLAW_GATEWAY_PASSWORD`, else openclaw.json's `gateway.auth` (`gateway.remote.*` for a
// remote gateway; plain values and env/file/exec SecretRefs, secret-providers.ts), else the
// authwatch config's (file or env).

/** OpenClaw's default gateway port. */
const defaultGatewayPort = 18789;

/** A `gateways` entry of the authwatch config, its secrets already read. */
export interface ConfiguredGateway {
  name: string;
  url: string;
  token?: string | undefined;
  password?: string | undefined;
}

interface TargetInputs {
  context: SourceContext;
  /** `--gateway URL`. */
  flag: string | undefined;
  configured: readonly ConfiguredGateway[];
}

type Credentials = { token?: string | undefined; password?: string | undefined };

function checkUrl(url: string, origin: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new AuthwatchError(`${origin}: not a URL; expected ws://host:port or wss://host:port`);
  }
  if (parsed.protocol !== 'ws:' && parsed.protocol !== 'wss:') throw new AuthwatchError(`${origin}: ${urlForMessages(url)} is not a WebSocket URL; expected ws://host:port or wss://host:port`);
  if (parsed.username || parsed.password) {
    throw new AuthwatchError(`${origin}: never put credentials in the URL (any user can read a command line); give the token in OPENCLAW_GATEWAY_TOKEN or the config's gateways[].token`);
  }
  return url;
}

/** The gateway's name for labels: its host and port. */
const hostOf = (url: string) => new URL(url).host;

/** What openclaw.json says about its gateway and its secret providers; `null` without one (or one that cannot be read: the openclaw-config source says why). */
async function readGatewayConfig(context: SourceContext): Promise<{ gateway: Record<string, unknown>; secrets: SecretsConfig } | null> {
  const file = await readCredentialFile(openclawConfigPath(context));
  if (file.kind !== 'ok') return null;
  const json = await parseJson5Text(file.text);
  if (!json.ok || !isJsonObject(json.value)) return null;
  return { gateway: isJsonObject(json.value.gateway) ? json.value.gateway : {}, secrets: secretsConfigOf(json.value) };
}

function fromEnv(context: SourceContext): Credentials {
  return { token: context.env.OPENCLAW_GATEWAY_TOKEN?.trim() || undefined, password: context.env.OPENCLAW_GATEWAY_PASSWORD?.trim() || undefined };
}

const hasAny = (c: Credentials) => c.token !== undefined || c.password !== undefined;

async function fromOpenclawConfig(section: unknown, path: string, secrets: SecretsConfig, context: SourceContext): Promise<Credentials> {
  if (!isJsonObject(section)) return {};
  const mode = section.mode;
  const field = (name: string) => `openclaw.json ${path}.${name}`;
  return {
    token: mode === 'password' ? undefined : await resolveSecretInput(section.token, field('token'), secrets, context),
    password: mode === 'token' ? undefined : await resolveSecretInput(section.password, field('password'), secrets, context),
  };
}

/**
 * The gateways to read, in order. Explicit ones (named by the user) fail loudly; the local
 * gateway found through openclaw.json is only looked for when there is an openclaw.json (or
 * `$OPENCLAW_GATEWAY_PORT`), and its absence is a note.
 */
export async function resolveGatewayTargets({ context, flag, configured }: TargetInputs): Promise<GatewayTarget[]> {
  const env = context.env;
  const openclaw = await readGatewayConfig(context);
  const config = openclaw?.gateway ?? null;
  const byUrl = new Map(configured.map((g) => [g.url, g]));
  const withCredentials = async (url: string, origin: string, explicit: boolean, section: 'auth' | 'remote'): Promise<GatewayTarget> => {
    let credentials = fromEnv(context);
    if (!hasAny(credentials) && config) credentials = await fromOpenclawConfig(config[section], `gateway.${section}`, openclaw!.secrets, context);
    if (!hasAny(credentials)) credentials = { token: byUrl.get(url)?.token, password: byUrl.get(url)?.password };
    registerSecret(credentials.token);
    registerSecret(credentials.password);
    const named = byUrl.get(url)?.name;
    return { name: named ?? hostOf(url), label: named ?? null, url, ...credentials, explicit, origin };
  };
  if (flag !== undefined) return [await withCredentials(checkUrl(flag, '--gateway'), '--gateway', true, 'auth')];
  if (configured.length > 0) return configured.map((g) => ({ ...g, label: g.name, explicit: true, origin: `the config's gateways (${g.name})` }));
  const fromVariable = env.OPENCLAW_GATEWAY_URL?.trim();
  if (fromVariable) return [await withCredentials(checkUrl(fromVariable, 'OPENCLAW_GATEWAY_URL'), 'OPENCLAW_GATEWAY_URL', true, 'auth')];
  const remote = config && config.mode === 'remote' && isJsonObject(config.remote) && typeof config.remote.url === 'string' ? config.remote.url : null;
  if (remote) return [await withCredentials(checkUrl(remote, 'openclaw.json gateway.remote.url'), 'openclaw.json gateway.remote.url', true, 'remote')];
  const portText = env.OPENCLAW_GATEWAY_PORT?.trim();
  if (!config && !portText) return [];
  const port = portText ? Number(portText) : typeof config?.port === 'number' ? config.port : defaultGatewayPort;
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new AuthwatchError(`${portText ? 'OPENCLAW_GATEWAY_PORT' : 'openclaw.json gateway.port'}: ${String(portText ?? config?.port)} is not a port (1-65535)`);
  }
  return [await withCredentials(`ws://127.0.0.1:${port}`, portText ? 'OPENCLAW_GATEWAY_PORT' : 'openclaw.json gateway.port', false, 'auth')];
}
