import { describe, expect, it } from 'vitest';
import { mergeGatewayView, type GatewayView } from '../src/pipeline/gateway-view.js';
import type { GatewayTarget } from '../src/sources/gateway.js';
import { makeProfile, type Profile } from '../src/sources/source.js';
import { silentLog } from './helpers/context.js';

const hour = 3_600_000;
const t0 = Date.UTC(2026, 11, 7, 12);

const local: GatewayTarget = { name: '127.0.0.1:18789', label: null, url: 'ws://127.0.0.1:18789', explicit: false, origin: 'openclaw.json gateway.port' };
const remote: GatewayTarget = { ...local, name: 'gw.example.net', url: 'wss://gw.example.net', explicit: true };

const gatewayRow = (id: string, expiresAt: number | null, extra: Partial<Profile> = {}) =>
  makeProfile({ id, provider: 'anthropic', source: 'gateway', type: 'token', agent: 'main', path: 'gateway ws://127.0.0.1:18789 (agent main)', expiresAt, notes: ['the gateway says ok'], ...extra });
const fileRow = (id: string, expiresAt: number | null, extra: Partial<Profile> = {}) =>
  makeProfile({ id, provider: 'anthropic', source: 'openclaw-db', type: 'token', agent: 'main', path: '/home/u/.openclaw/state/openclaw.sqlite', expiresAt, ...extra });

const view = (target: GatewayTarget, profiles: Profile[]): GatewayView => ({
  reads: [{ ok: true, target, profiles, visits: [], uses: new Map(), required: [] }],
  visits: [],
  uses: new Map(),
  required: [],
  labels: new Map(),
});

describe("the running gateway's view next to the files'", () => {
  it("drops the file row of a credential the local gateway reports; agreeing rows say nothing more", () => {
    const merged = mergeGatewayView(view(local, [gatewayRow('anthropic:manual', t0 + 20 * hour)]), [fileRow('anthropic:manual', t0 + 20 * hour)], silentLog);
    expect(merged.map((p) => [p.id, p.source, p.notes])).toEqual([['anthropic:manual', 'gateway', ['the gateway says ok']]]);
  });

  it('a new credential on disk the running gateway has not picked up is said on the gateway row', () => {
    const merged = mergeGatewayView(view(local, [gatewayRow('anthropic:manual', t0 + 2 * hour)]), [fileRow('anthropic:manual', t0 + 300 * hour)], silentLog);
    expect(merged).toHaveLength(1);
    expect(merged[0]!.notes.at(-1)).toMatch(/^the file \/home\/u\/\.openclaw\/state\/openclaw\.sqlite holds a credential expiring .*, the running gateway one expiring .*: the gateway has not picked up the credential on disk$/);
    // The gateway's view decides the status: its row keeps its own expiry.
    expect(merged[0]!.expiresAt).toBe(t0 + 2 * hour);
  });

  it('a file with no usable secret while the gateway still holds one is said too', () => {
    const merged = mergeGatewayView(view(local, [gatewayRow('anthropic:manual', null)]), [fileRow('anthropic:manual', null, { secret: 'absent' })], silentLog);
    expect(merged[0]!.notes.at(-1)).toBe('the file /home/u/.openclaw/state/openclaw.sqlite holds no usable secret for it, the running gateway still has one');
  });

  it('an expired token (OpenClaw drops its expiry) is no disagreement with the stored expiry', () => {
    const expired = gatewayRow('anthropic:manual', null, { verdict: { status: 'expired', reason: 'the gateway says expired' } });
    const merged = mergeGatewayView(view(local, [expired]), [fileRow('anthropic:manual', t0 - hour)], silentLog);
    expect(merged[0]!.notes).toEqual(['the gateway says ok']);
  });

  it('file rows the gateway does not report stay, saying so; other sources are untouched', () => {
    const claude = makeProfile({ id: 'anthropic:claude-cli', provider: 'anthropic', source: 'claude-code', type: 'oauth', path: '/home/u/.claude/.credentials.json' });
    const merged = mergeGatewayView(view(local, [gatewayRow('anthropic:manual', null)]), [fileRow('openai:default', null), claude], silentLog);
    expect(merged.map((p) => [p.id, p.source])).toEqual([
      ['anthropic:manual', 'gateway'],
      ['openai:default', 'openclaw-db'],
      ['anthropic:claude-cli', 'claude-code'],
    ]);
    expect(merged[1]!.notes).toEqual(['not reported by the running gateway 127.0.0.1:18789']);
    expect(merged[2]).toBe(claude);
  });

  it("a remote gateway's rows are not merged with this host's files: they are another OpenClaw's", () => {
    const merged = mergeGatewayView(view(remote, [gatewayRow('anthropic:manual', t0)]), [fileRow('anthropic:manual', t0 + 300 * hour)], silentLog);
    expect(merged.map((p) => p.source)).toEqual(['gateway', 'openclaw-db']);
    expect(merged[0]!.notes).toEqual(['the gateway says ok']);
  });
});
