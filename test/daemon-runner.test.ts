import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../src/config/defaults.js';
const machine = () => ({ host: 'test-host', checkIntervalSeconds: 900 });
import { CheckRunner, type RunnerDeps } from '../src/daemon/runner.js';
import type { Report } from '../src/evaluate/report.js';
import { silentLog } from './helpers/context.js';
import { agentStore, makeHome } from './helpers/home.js';

const home = () => makeHome({ [agentStore('main')]: { json: { version: 1, profiles: { 'anthropic:default': { type: 'api_key', provider: 'anthropic', key: 'sk-x' } } } } });

/** A delivery step that holds every call until released, and counts how many run at once. */
function heldDelivery() {
  const calls: Report[] = [];
  const releases: Array<() => void> = [];
  let running = 0;
  let most = 0;
  const deliver: RunnerDeps['deliver'] = async (report) => {
    calls.push(report);
    most = Math.max(most, ++running);
    await new Promise<void>((resolve) => releases.push(resolve));
    running--;
    return new Map([['hook', 1]]);
  };
  const releaseNext = async () => {
    await new Promise((resolve) => setTimeout(resolve, 10));
    releases.shift()?.();
    await new Promise((resolve) => setTimeout(resolve, 10));
  };
  return { deliver, calls, releaseNext, most: () => most };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 20));

describe('the daemon check runner', { timeout: 5_000 }, () => {
  it('publishes each check before its delivery; deliveries run one at a time and only the latest report waits', async () => {
    const held = heldDelivery();
    const runner = new CheckRunner({ env: {}, home: home(), log: silentLog, config: defaultConfig, machine, checked: () => undefined, deliver: held.deliver });
    const reports: Report[] = [];
    for (let i = 0; i < 5; i++) {
      await runner.run('test'); // resolves although the first delivery is still held
      reports.push(runner.record.report!);
      await settle();
    }
    expect(new Set(reports).size).toBe(5);
    expect(held.calls).toEqual([reports[0]]);
    await held.releaseNext();
    // Checks 2–4 were replaced by check 5 while they waited.
    expect(held.calls).toEqual([reports[0], reports[4]]);
    await held.releaseNext();
    expect(held.calls).toHaveLength(2);
    expect(held.most()).toBe(1);
    expect(runner.record.pendingNotifications).toEqual(new Map([['hook', 1]]));
  });

  it('a check or a delivery that throws is recorded and logged; the next check runs', async () => {
    let checkFails = true;
    let deliveryFails = true;
    const delivered: Report[] = [];
    const runner = new CheckRunner({
      env: {},
      home: home(),
      log: silentLog,
      config: defaultConfig,
      machine,
      checked: () => {
        if (checkFails) throw new RangeError('Invalid time value');
      },
      deliver: async (report) => {
        if (deliveryFails) throw new Error('channel module broke');
        delivered.push(report);
        return null;
      },
    });
    await runner.run('test');
    expect(runner.record.lastRunSuccess).toBe(false);
    expect(runner.record.report).toBeNull();
    checkFails = false;
    await runner.run('test');
    expect(runner.record.lastRunSuccess).toBe(true);
    await settle();
    expect(delivered).toEqual([]);
    deliveryFails = false;
    await runner.run('test');
    await settle();
    expect(delivered).toEqual([runner.record.report]);
  });

  it('stop() waits for the running delivery, drops the waiting one, and starts nothing after', async () => {
    const held = heldDelivery();
    const runner = new CheckRunner({ env: {}, home: home(), log: silentLog, config: defaultConfig, machine, checked: () => undefined, deliver: held.deliver });
    await runner.run('test');
    await settle();
    await runner.run('test');
    let stopped = false;
    const stopping = runner.stop().then(() => (stopped = true));
    await settle();
    expect(stopped).toBe(false);
    await held.releaseNext();
    await stopping;
    expect(held.calls).toHaveLength(1);
    const last = runner.record.lastRunAt;
    await runner.run('test');
    expect(runner.record.lastRunAt).toBe(last);
  });
});
