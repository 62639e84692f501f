import type * as PromClient from 'prom-client';
import { scrub } from '../core/scrub.js';
import { openMetricsContentType, prometheusContentType, renderExposition } from './exposition.js';
import { metricFamilies, type DaemonCounters, type RunRecord } from './metric-families.js';

export interface DaemonMetrics {
  /** The body and content type for a scrape, Prometheus text or OpenMetrics. */
  render(openMetrics: boolean): Promise<{ body: Buffer; contentType: string }>;
}

/** Process metrics read /proc and an event-loop histogram: fresh enough when a second old. */
const processMetricsTtlMs = 1_000;

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
  type Format = 'prometheus' | 'openmetrics';
  const own = new Map<Format, { run: RunRecord; counters: DaemonCounters; bytes: Buffer }>();
  const ownBytes = (format: Format) => {
    const run = latest();
    const current = counters();
    const hit = own.get(format);
    if (hit && hit.run === run && hit.counters === current) return hit.bytes;
    const bytes = Buffer.from(scrub(renderExposition(metricFamilies(run, current), format)));
    own.set(format, { run, counters: current, bytes });
    return bytes;
  };
  const processCache = new Map<Format, { at: number; bytes: Buffer }>();
  const processBytes = async (format: Format) => {
    const hit = processCache.get(format);
    if (hit && Date.now() - hit.at < processMetricsTtlMs) return hit.bytes;
    const text = await registries[format].metrics();
    const bytes = Buffer.from(format === 'openmetrics' ? `${text.replace(/# EOF\s*$/, '')}# EOF\n` : `\n${text}`);
    processCache.set(format, { at: Date.now(), bytes });
    return bytes;
  };
  // Scrapes within a second of each other and between two checks get the very same body: on a
  // large host it is big, and copying it for every scrape was the server's main work.
  const bodies = new Map<Format, { own: Buffer; process: Buffer; body: Buffer }>();
  return {
    async render(openMetrics) {
      const format: Format = openMetrics ? 'openmetrics' : 'prometheus';
      const own = ownBytes(format);
      const process = await processBytes(format);
      let hit = bodies.get(format);
      if (hit?.own !== own || hit.process !== process) {
        hit = { own, process, body: Buffer.concat([own, process]) };
        bodies.set(format, hit);
      }
      return { body: hit.body, contentType: openMetrics ? openMetricsContentType : prometheusContentType };
    },
  };
}
