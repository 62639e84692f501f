import type { MetricFamily } from './metric-families.js';
import { TextBytes } from './text-bytes.js';

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
 * authwatch's metrics as UTF-8 text: the Prometheus format 0.0.4 (textfile, Pushgateway,
 * default scrapes) or OpenMetrics 1.0 (where a counter family is named without `_total`; the
 * caller ends the document with `# EOF`). No sample timestamps: node_exporter rejects files
 * that have them. Written by hand: a timer run loads no metrics library, and the daemon
 * renders once per check instead of once per scrape.
 */
export function renderExposition(families: readonly MetricFamily[], format: 'prometheus' | 'openmetrics' = 'prometheus'): Buffer {
  // Bytes written piece by piece: built as a string, a timer run's exposition made ≈ 100 KB of
  // small strings, enough to cost that run a garbage collection the plain check does not have.
  const out = new TextBytes();
  for (let f = 0; f < families.length; f++) {
    const family = families[f]!;
    const familyName = format === 'openmetrics' && family.type === 'counter' ? family.name.replace(/_total$/, '') : family.name;
    out.write('# HELP ');
    out.write(familyName);
    out.write(' ');
    out.write(escapeHelp(family.help));
    out.write('\n# TYPE ');
    out.write(familyName);
    out.write(' ');
    out.write(family.type);
    out.write('\n');
    const { labelNames, samples } = family;
    for (let s = 0; s < samples.length; s++) {
      const { labels, value } = samples[s]!;
      out.write(family.name);
      for (let l = 0; l < labelNames.length; l++) {
        out.write(l === 0 ? '{' : ',');
        out.write(labelNames[l]!);
        out.write('="');
        out.write(escapeLabel(labels[labelNames[l]!] ?? ''));
        out.write('"');
      }
      out.write(labelNames.length ? '} ' : ' ');
      out.write(formatValue(value));
      out.write('\n');
    }
    if (format === 'prometheus') out.write('\n');
  }
  return out.result();
}
