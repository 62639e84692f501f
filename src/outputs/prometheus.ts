import type * as PromClient from 'prom-client';
import { openMetricsContentType, prometheusContentType, renderExposition } from './exposition.js';
import { metricFamilies, type DaemonCounters, type RunRecord } from './metric-families.js';

export interface DaemonMetrics {
  /** The body and content type for a scrape, Prometheus text or OpenMetrics. */
  render(openMetrics: boolean): Promise<{ body: string; contentType: string }>;
}

/**
 * The daemon's /metrics: authwatch's own families, rendered once per check (scrapes between
 * checks reuse the text), followed by prom-client's process and Node.js metrics.
 */
export async function createDaemonMetrics(latest: () => RunRecord, counters: () => DaemonCounters): Promise<DaemonMetrics> {
  const client: typeof PromClient = await import('prom-client');
  const processRegistry = (openMetrics: boolean) => {
    const registry = new client.Registry();
    if (openMetrics) (registry as unknown as { setContentType(type: string): void }).setContentType(client.Registry.OPENMETRICS_CONTENT_TYPE);
    client.collectDefaultMetrics({ register: registry });
    // Gauges named *_total break Prometheus' naming rules (promtool flags them); their
    // per-type siblings without the suffix carry the same numbers.
    for (const name of ['nodejs_active_handles_total', 'nodejs_active_requests_total', 'nodejs_active_resources_total']) registry.removeSingleMetric(name);
    return registry;
  };
  // Separate registries per format: prom-client renames counters in place when it renders OpenMetrics.
  const registries = { prometheus: processRegistry(false), openmetrics: processRegistry(true) };
  const cache = new Map<string, { run: RunRecord; counters: DaemonCounters; text: string }>();
  const ownText = (format: 'prometheus' | 'openmetrics') => {
    const run = latest();
    const current = counters();
    const hit = cache.get(format);
    if (hit && hit.run === run && hit.counters === current) return hit.text;
    const text = renderExposition(metricFamilies(run, current), format);
    cache.set(format, { run, counters: current, text });
    return text;
  };
  return {
    async render(openMetrics) {
      const format = openMetrics ? 'openmetrics' : 'prometheus';
      const processText = await registries[format].metrics();
      const body = openMetrics ? `${ownText(format)}${processText.replace(/# EOF\s*$/, '')}# EOF\n` : `${ownText(format)}\n${processText}`;
      return { body, contentType: openMetrics ? openMetricsContentType : prometheusContentType };
    },
  };
}
