import type * as PromClient from 'prom-client';
import { metricFamilies, type DaemonCounters, type MetricFamily, type RunRecord } from './metric-families.js';

type Client = typeof PromClient;

/**
 * Registers authwatch's metrics on a prom-client registry for the daemon. Each metric fills
 * its values at collection time (after a reset, so vanished profiles leave no stale series)
 * from the same `metricFamilies` the textfile uses, computed once per run and counter state.
 */
export function registerAuthwatchMetrics(client: Client, registry: PromClient.Registry, latest: () => RunRecord, counters: () => DaemonCounters): void {
  let cache: { run: RunRecord; counters: DaemonCounters; byName: Map<string, MetricFamily> } | null = null;
  const family = (name: string): MetricFamily | undefined => {
    const run = latest();
    const current = counters();
    if (!cache || cache.run !== run || cache.counters !== current) {
      cache = { run, counters: current, byName: new Map(metricFamilies(run, current).map((f) => [f.name, f])) };
    }
    return cache.byName.get(name);
  };
  for (const { name, help, type, labelNames } of metricFamilies(latest(), counters())) {
    const Metric = type === 'counter' ? client.Counter : client.Gauge;
    new Metric({
      name,
      help,
      labelNames,
      registers: [registry],
      collect(this: PromClient.Gauge | PromClient.Counter) {
        this.reset();
        for (const { labels, value } of family(name)?.samples ?? []) {
          if (this instanceof client.Counter) this.inc(labels, value);
          else (this as PromClient.Gauge).set(labels, value);
        }
      },
    });
  }
}

export async function loadPromClient(): Promise<Client> {
  return import('prom-client');
}
