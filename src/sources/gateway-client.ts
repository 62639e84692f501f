import { GatewayClient, isGatewayProtocolResponseError, type GatewayClientHostDeps, type GatewayClientOptions } from '@openclaw/gateway-client';
import { readConnectErrorDetailCode, readPairingConnectErrorDetails } from '@openclaw/gateway-protocol/connect-error-details';
import { PROTOCOL_VERSION } from '@openclaw/gateway-protocol/version';
import { GATEWAY_CLIENT_CAPS } from '@openclaw/gateway-protocol/client-info';
import { scrub, urlForMessages } from '../core/scrub.js';
import { publicKeyRawBase64Url, signDevicePayload, type GatewayDevice } from './gateway-device.js';

// One read-only conversation with an OpenClaw gateway through OpenClaw's published client
// (@openclaw/gateway-client, pinned with its protocol package): connect with the role
// `operator` and the scope `operator.read` only, ask, close. Everything is bounded by one hard
// deadline; the client's own reconnecting is cut short at the first failure.

interface GatewayCall {
  url: string;
  token?: string | undefined;
  password?: string | undefined;
  device: GatewayDevice;
  /** The whole conversation: connect, every request, close. */
  deadlineMs: number;
}

export type GatewayFailure = {
  ok: false;
  /** `unreachable`: nothing answered; `refused`: it said no; `pairing`: approval pending; `timeout`; `garbage`: not the protocol. */
  kind: 'unreachable' | 'refused' | 'pairing' | 'timeout' | 'garbage';
  message: string;
  /** For `pairing`: the request to approve on the gateway host. */
  requestId?: string;
};

type GatewaySession =
  | { ok: true; server: { version: string | null }; request: (method: string, params?: unknown) => Promise<unknown>; close: () => Promise<void> }
  | GatewayFailure;

const role = 'operator';
const readScope = 'operator.read';

/** The connect error's structured reason, in words that name the URL and never a credential. */
function describeConnectError(url: string, error: unknown): GatewayFailure {
  const shown = urlForMessages(url);
  const details = (error as { details?: unknown } | null)?.details;
  const pairing = readPairingConnectErrorDetails(details);
  if (pairing) {
    const id = pairing.requestId && /^[A-Za-z0-9_-]{1,128}$/.test(pairing.requestId) ? pairing.requestId : undefined;
    return {
      ok: false,
      kind: 'pairing',
      requestId: id,
      message: `the gateway ${shown} has not paired authwatch's device yet${id ? `: on the gateway host run \`openclaw devices approve ${id}\`` : ': on the gateway host run `openclaw devices list` and approve the pending request'}`,
    };
  }
  const code = readConnectErrorDetailCode(details);
  const said = error instanceof Error ? scrub(error.message).slice(0, 200) : 'error';
  if (code?.startsWith('AUTH_') || code?.startsWith('DEVICE_')) {
    return { ok: false, kind: 'refused', message: `the gateway ${shown} refused authwatch's credentials (${code}): ${said}; check OPENCLAW_GATEWAY_TOKEN / OPENCLAW_GATEWAY_PASSWORD or the config's gateway token` };
  }
  if (isGatewayProtocolResponseError(error)) return { ok: false, kind: 'refused', message: `the gateway ${shown} refused the connection${code ? ` (${code})` : ''}: ${said}` };
  return { ok: false, kind: 'unreachable', message: `cannot reach the gateway ${shown}: ${said}` };
}

/** What every authwatch connection says in its handshake: the role `operator` with `operator.read` only. */
function clientOptions(call: Omit<GatewayCall, 'deadlineMs'>, timeoutMs: number): GatewayClientOptions {
  const hostDeps: GatewayClientHostDeps = {
    signDevicePayload,
    publicKeyRawBase64UrlFromPem: publicKeyRawBase64Url,
    loadDeviceAuthToken: ({ role: asked }) => call.device.token(asked),
    storeDeviceAuthToken: ({ role: asked, token, scopes }) => call.device.storeToken(asked, token, scopes),
    clearDeviceAuthToken: ({ role: asked }) => call.device.clearToken(asked),
    redactForLog: scrub,
  };
  return {
    url: call.url,
    token: call.token,
    password: call.password,
    role,
    scopes: [readScope],
    // A cold `usage.status` then answers at once (`refreshing: true`) instead of waiting on every
    // provider's usage API; the windows also come with models.authStatus, from the same cache.
    caps: [GATEWAY_CLIENT_CAPS.USAGE_REFRESHING],
    clientName: 'gateway-client',
    clientDisplayName: 'authwatch',
    mode: 'backend',
    minProtocol: PROTOCOL_VERSION,
    maxProtocol: PROTOCOL_VERSION,
    deviceIdentity: call.device.identity,
    connectChallengeTimeoutMs: timeoutMs,
    requestTimeoutMs: timeoutMs,
    hostDeps,
  };
}

/** An event frame as the client hands it over: its name and its payload, unread. */
export interface GatewayEventFrame {
  event: string;
  payload?: unknown;
}

interface GatewayWatch {
  /** Every event the gateway sends this read-only client. */
  onEvent: (frame: GatewayEventFrame) => void;
  /** Connected (again): the handshake succeeded. */
  onConnected: () => void;
  /** The connection ended or could not be made; the client tries again (1 s, doubling to 30 s) unless `final`. */
  onDisconnected: (failure: GatewayFailure, final: boolean) => void;
}

/**
 * Keeps a read-only connection to the gateway open for its events. OpenClaw's client reconnects
 * by itself with backoff (1 s doubling to 30 s) and stops on what a retry cannot fix (a refused
 * token): `final`. `stop()` closes it for good.
 */
export function watchGateway(call: Omit<GatewayCall, 'deadlineMs'> & { timeoutMs: number }, watch: GatewayWatch): { stop: () => Promise<void> } {
  const shown = urlForMessages(call.url);
  let lastError: unknown = null;
  // After `stop()` the closing socket is no news.
  let stopped = false;
  const client = new GatewayClient({
    ...clientOptions(call, call.timeoutMs),
    onEvent: (frame) => watch.onEvent({ event: frame.event, payload: frame.payload }),
    onHelloOk: () => {
      lastError = null;
      watch.onConnected();
    },
    onConnectError: (error) => {
      lastError = error;
    },
    onReconnectPaused: () =>
      stopped ||
      watch.onDisconnected(lastError ? describeConnectError(call.url, lastError) : { ok: false, kind: 'refused', message: `the gateway ${shown} refused the connection` }, true),
    onClose: (code, reason, info) => {
      if (stopped) return;
      const error = info?.connectError ?? lastError;
      if (error) return watch.onDisconnected(describeConnectError(call.url, error), false);
      const why = reason ? `: ${scrub(reason).slice(0, 200)}` : '';
      watch.onDisconnected({ ok: false, kind: 'unreachable', message: info?.socketOpened ? `the gateway ${shown} closed the connection (code ${code}${why})` : `cannot reach the gateway ${shown} (code ${code}${why})` }, false);
    },
  });
  try {
    client.start();
  } catch (error) {
    watch.onDisconnected({ ok: false, kind: 'unreachable', message: `cannot reach the gateway ${shown}: ${error instanceof Error ? scrub(error.message).slice(0, 200) : 'error'}` }, true);
  }
  return {
    stop: () => {
      stopped = true;
      return client.stopAndWait({ timeoutMs: 1000 }).catch(() => client.stop());
    },
  };
}

/**
 * Opens a read-only session with the gateway at `url`, or says why not. The deadline covers
 * the session's requests too: `close()` must be called either way.
 */
export function openGatewaySession(call: GatewayCall): Promise<GatewaySession> {
  const shown = urlForMessages(call.url);
  const started = Date.now();
  return new Promise((resolve) => {
    let settled = false;
    let lastError: unknown = null;
    const fail = (failure: GatewayFailure) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      client.stop();
      resolve(failure);
    };
    const client = new GatewayClient({
      ...clientOptions(call, call.deadlineMs),
      onConnectError: (error) => {
        lastError = error;
        fail(describeConnectError(call.url, error));
      },
      onClose: (code, reason, info) => {
        if (settled) return;
        if (info?.connectError) return fail(describeConnectError(call.url, info.connectError));
        if (lastError) return fail(describeConnectError(call.url, lastError));
        const why = reason ? `: ${scrub(reason).slice(0, 200)}` : '';
        fail({
          ok: false,
          kind: info?.socketOpened ? 'garbage' : 'unreachable',
          message: info?.socketOpened ? `the gateway ${shown} closed the connection before the handshake (code ${code}${why})` : `cannot reach the gateway ${shown} (code ${code}${why})`,
        });
      },
      onHelloOk: (hello) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        const version = typeof hello?.server?.version === 'string' ? hello.server.version.slice(0, 40) : null;
        resolve({
          ok: true,
          server: { version },
          request: (method, params) => {
            const left = call.deadlineMs - (Date.now() - started);
            if (left <= 0) return Promise.reject(new Error(`no answer from the gateway ${shown} within ${call.deadlineMs / 1000} s`));
            return client.request(method, params ?? {}, { timeoutMs: left });
          },
          close: async () => {
            await client.stopAndWait({ timeoutMs: 1000 }).catch(() => client.stop());
          },
        });
      },
    });
    const timer = setTimeout(
      () => fail({ ok: false, kind: 'timeout', message: `no answer from the gateway ${shown} within ${call.deadlineMs / 1000} s` }),
      call.deadlineMs,
    );
    try {
      client.start();
    } catch (error) {
      fail({ ok: false, kind: 'unreachable', message: `cannot reach the gateway ${shown}: ${error instanceof Error ? scrub(error.message).slice(0, 200) : 'error'}` });
    }
  });
}
