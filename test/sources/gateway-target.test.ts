import { describe, expect, it } from 'vitest';
import { resolveGatewayTargets } from '../../src/sources/gateway-target.js';
import { contextFor } from '../helpers/context.js';
import { makeHome } from '../helpers/home.js';

const config = (gateway: unknown) => ({ '.openclaw/openclaw.json': { json: { gateway } } });
const resolve = (home: string, env: Record<string, string> = {}, flag?: string, configured: { name: string; url: string; token?: string }[] = []) =>
  resolveGatewayTargets({ context: contextFor(home, env), flag, configured });

describe('which gateway, with which credentials (as OpenClaw\'s CLI finds them)', () => {
  it('no openclaw.json and no variable: no gateway to look for', async () => {
    expect(await resolve(makeHome())).toEqual([]);
  });

  it("the local gateway: openclaw.json's port (default 18789) on loopback, its token from the config; not explicit", async () => {
    expect(await resolve(makeHome(config({ port: 40001, auth: { mode: 'token', token: 'cfg-token-1234567' } })))).toEqual([
      { name: '127.0.0.1:40001', label: null, url: 'ws://127.0.0.1:40001', token: 'cfg-token-1234567', password: undefined, explicit: false, origin: 'openclaw.json gateway.port' },
    ]);
    expect((await resolve(makeHome(config({}))))[0]).toMatchObject({ url: 'ws://127.0.0.1:18789', token: undefined });
    expect((await resolve(makeHome(), { OPENCLAW_GATEWAY_PORT: '40002' }))[0]).toMatchObject({ url: 'ws://127.0.0.1:40002', origin: 'OPENCLAW_GATEWAY_PORT' });
  });

  it('$OPENCLAW_GATEWAY_TOKEN wins over the config; an env SecretRef is resolved from the process or the state dir .env', async () => {
    const home = makeHome({ ...config({ auth: { token: { source: 'env', provider: 'default', id: 'GW_TOKEN' } } }), '.openclaw/.env': { text: 'GW_TOKEN=from-dotenv-123456\n' } });
    expect((await resolve(home))[0]!.token).toBe('from-dotenv-123456');
    expect((await resolve(home, { GW_TOKEN: 'from-process-123456' }))[0]!.token).toBe('from-process-123456');
    expect((await resolve(home, { OPENCLAW_GATEWAY_TOKEN: 'from-variable-123456' }))[0]!.token).toBe('from-variable-123456');
  });

  it('auth.mode picks the token or the password', async () => {
    const both = { token: 'tok-1234567890', password: 'pass-1234567890' };
    expect((await resolve(makeHome(config({ auth: { mode: 'password', ...both } }))))[0]).toMatchObject({ token: undefined, password: 'pass-1234567890' });
    expect((await resolve(makeHome(config({ auth: { mode: 'token', ...both } }))))[0]).toMatchObject({ token: 'tok-1234567890', password: undefined });
  });

  it('--gateway, then the config\'s gateways, then $OPENCLAW_GATEWAY_URL, then gateway.remote.url: each explicit', async () => {
    const home = makeHome(config({ mode: 'remote', remote: { url: 'wss://gw.example.net', token: 'remote-token-123456' }, port: 40003 }));
    expect(await resolve(home)).toEqual([
      { name: 'gw.example.net', label: null, url: 'wss://gw.example.net', token: 'remote-token-123456', password: undefined, explicit: true, origin: 'openclaw.json gateway.remote.url' },
    ]);
    expect((await resolve(home, { OPENCLAW_GATEWAY_URL: 'ws://10.0.0.5:18789' }))[0]).toMatchObject({ url: 'ws://10.0.0.5:18789', explicit: true, origin: 'OPENCLAW_GATEWAY_URL' });
    const fleet = [{ name: 'docker', url: 'ws://172.17.0.2:18789', token: 'fleet-token-123456' }];
    // Only a gateway of the config's fleet carries the `gateway` label (its name).
    expect((await resolve(home, { OPENCLAW_GATEWAY_URL: 'ws://10.0.0.5:18789' }, undefined, fleet))[0]).toMatchObject({ name: 'docker', label: 'docker', explicit: true });
    expect((await resolve(home, {}, 'ws://127.0.0.1:40004', fleet))[0]).toMatchObject({ url: 'ws://127.0.0.1:40004', origin: '--gateway' });
  });

  it('refuses a URL that is no WebSocket URL or carries credentials, naming where it came from', async () => {
    await expect(resolve(makeHome(), {}, 'http://127.0.0.1:1')).rejects.toThrow(/^--gateway: http:\/\/127\.0\.0\.1:1 is not a WebSocket URL/);
    await expect(resolve(makeHome(), { OPENCLAW_GATEWAY_URL: 'ws://user:hunter2secret@host:1' })).rejects.toThrow(/^OPENCLAW_GATEWAY_URL: never put credentials in the URL/);
    await expect(resolve(makeHome(config({ port: 70000 })))).rejects.toThrow(/^openclaw\.json gateway\.port: 70000 is not a port/);
  });

  it('a store SecretRef is not resolved, an exec one needs its provider (secret-providers.test.ts): the message says the fix', async () => {
    await expect(resolve(makeHome(config({ auth: { token: { source: 'store', provider: 'default', id: 'GW_TOKEN' } } })))).rejects.toThrow(/gateway\.auth\.token: a store SecretRef .*which authwatch does not read; give the gateway's credential in OPENCLAW_GATEWAY_TOKEN/);
    await expect(resolve(makeHome(config({ auth: { token: { source: 'exec', provider: 'vault', id: 'x' } } })))).rejects.toThrow(/gateway\.auth\.token: its exec SecretRef names the secret provider "vault", which secrets\.providers does not define; add secrets\.providers\.vault/);
  });
});
