// The text exposition format written by hand. Buys: `check --textfile`/`--push` never load
// prom-client (loading it costs 2.2x the CPU of `node -e 0`, 30 paired runs, Node 24); the
// daemon still uses prom-client for its process metrics. promtool checks this output in tests.
// TODO(prom-client>=16): remove if prom-client loads in under 5 % of a typical check.
import { scrub } from '../core/scrub.js';
import type { MetricFamily } from './metric-families.js';

const helpEscapes: Record<string, string> = { '\\': '\\\\', '\n': '\\n' };
const labelEscapes: Record<string, string> = { ...helpEscapes, '"': '\\"' };
// Most values need no escaping: test first, so the common case allocates nothing (the patterns
// are made once: a literal in the function would be a new RegExp on every call).
const helpSpecial = /[\\\n]/g;
const labelSpecial = /[\\\n"]/g;
const escapeWith = (special: RegExp, escapes: Record<string, string>) => (text: string) =>
  text.search(special) === -1 ? text : text.replace(special, (c) => escapes[c]!);
const escapeHelp = escapeWith(helpSpecial, helpEscapes);
const escapeLabel = escapeWith(labelSpecial, labelEscapes);

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
  // One string built in place: this runs on every timer run and every daemon check, and arrays
  // of pieces per sample were most of a run's garbage.
  let text = '';
  for (const family of families) {
    const familyName = format === 'openmetrics' && family.type === 'counter' ? family.name.replace(/_total$/, '') : family.name;
    text += `# HELP ${familyName} ${escapeHelp(family.help)}\n# TYPE ${familyName} ${family.type}\n`;
    for (const { labels, value } of family.samples) {
      text += family.name;
      // A label a sample leaves out is not written (Prometheus: the same as an empty one).
      let written = 0;
      for (const name of family.labelNames) {
        const label = labels[name];
        if (label === undefined) continue;
        text += `${written++ === 0 ? '{' : ','}${name}="${escapeLabel(label)}"`;
      }
      text += `${written > 0 ? '}' : ''} ${formatValue(value)}\n`;
    }
    if (format === 'prometheus') text += '\n';
  }
  // Metrics leave the process like stdout does: a label built from what a store holds (a key
  // pasted as a profile id) must not carry a secret either.
  return scrub(text);
}
