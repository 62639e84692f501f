import type { MetricFamily } from './metric-families.js';

const escapeHelp = (text: string) => text.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
const escapeLabel = (text: string) => text.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');

function formatValue(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  return String(value);
}

export const prometheusContentType = 'text/plain; version=0.0.4; charset=utf-8';
export const openMetricsContentType = 'application/openmetrics-text; version=1.0.0; charset=utf-8';

/**
 * authwatch's metrics as text: the Prometheus format 0.0.4 (textfile, Pushgateway, default
 * scrapes) or OpenMetrics 1.0 (where a counter family is named without `_total`; the caller
 * ends the document with `# EOF`). No sample timestamps: node_exporter rejects files that
 * have them. Written by hand: a timer run loads no metrics library, and the daemon renders
 * once per check instead of once per scrape.
 */
export function renderExposition(families: readonly MetricFamily[], format: 'prometheus' | 'openmetrics' = 'prometheus'): string {
  const lines: string[] = [];
  for (const family of families) {
    const familyName = format === 'openmetrics' && family.type === 'counter' ? family.name.replace(/_total$/, '') : family.name;
    lines.push(`# HELP ${familyName} ${escapeHelp(family.help)}`, `# TYPE ${familyName} ${family.type}`);
    for (const { labels, value } of family.samples) {
      const pairs = Object.entries(labels).map(([key, v]) => `${key}="${escapeLabel(v)}"`);
      lines.push(`${family.name}${pairs.length ? `{${pairs.join(',')}}` : ''} ${formatValue(value)}`);
    }
    if (format === 'prometheus') lines.push('');
  }
  return `${lines.join('\n')}\n`;
}
