import { runInNewContext } from 'node:vm';
import { describe, expect, it, vi } from 'vitest';
import { defaultConfig } from '../src/config/defaults.js';
import { fullGarbageCollector } from '../src/daemon/memory.js';
import { CheckRunner } from '../src/daemon/runner.js';
import { silentLog } from './helpers/context.js';
import { agentStore, makeHome } from './helpers/home.js';

describe('the daemon after each check', () => {
  it('gets a working full garbage collector without --expose-gc, and leaves the flag off', async () => {
    expect(typeof (globalThis as { gc?: unknown }).gc).toBe('undefined');
    const collect = fullGarbageCollector();
    // A weakly held object is gone after a full collection (WeakRefs hold on until the job
    // that made them ends, hence the wait).
    const ref = (() => new WeakRef({ big: new Array(1000).fill(1) }))();
    await new Promise((resolve) => setImmediate(resolve));
    collect();
    expect(ref.deref()).toBeUndefined();
    // No context made later gets `gc`, as without the flag.
    expect(runInNewContext('typeof gc')).toBe('undefined');
  });

  it('tells the daemon every check is over, after it succeeded and after it failed', async () => {
    const home = makeHome({ [agentStore('main')]: { json: { version: 1, profiles: { 'anthropic:default': { type: 'api_key', provider: 'anthropic', key: 'sk-x' } } } } });
    const settled = vi.fn();
    let configFails = false;
    const runner = new CheckRunner({
      env: {},
      home,
      log: silentLog,
      config: () => {
        if (configFails) throw new Error('config went away');
        return defaultConfig();
      },
      machine: () => ({ host: 'test', checkIntervalSeconds: null }),
      afterCheck: () => undefined,
      settled: () => settled(runner.record.lastRunSuccess),
    });
    await runner.run('test');
    expect(settled.mock.calls).toEqual([[true]]);
    configFails = true;
    await runner.run('test');
    expect(settled.mock.calls).toEqual([[true], [false]]);
  });
});
