import { readFileSync } from 'node:fs';
import { defaultDashboard } from '@grafana/schema';
import { describe, expect, it } from 'vitest';
import { dashboard, dataPanels, queries } from './dashboard.js';

// Rules in the spirit of grafana/dashboard-linter, for this dashboard's needs.
describe('the Grafana dashboard (deploy/grafana/authwatch.json)', () => {
  it("is at @grafana/schema's current schemaVersion, with a uid and a title", () => {
    expect(dashboard.schemaVersion).toBe(defaultDashboard.schemaVersion);
    expect(dashboard.uid).toMatch(/^[\w-]{8,40}$/);
    expect(dashboard.title).toBeTruthy();
  });

  it('has a Prometheus datasource variable that every panel and query uses', () => {
    const variables = dashboard.templating?.list ?? [];
    expect(variables.find((v) => v.name === 'datasource')).toMatchObject({ type: 'datasource', query: 'prometheus' });
    for (const panel of dataPanels()) {
      expect(panel.datasource, panel.title).toEqual({ type: 'prometheus', uid: '${datasource}' });
      for (const target of panel.targets ?? []) expect(target.datasource, `${panel.title} ${target.refId}`).toEqual({ type: 'prometheus', uid: '${datasource}' });
    }
    for (const v of variables.filter((v) => v.type === 'query')) expect(v.datasource, v.name).toEqual({ type: 'prometheus', uid: '${datasource}' });
  });

  it('has host and provider variables (multi, with All) from authwatch series', () => {
    const variables = dashboard.templating?.list ?? [];
    for (const [name, metric] of [['host', 'authwatch_host_info'], ['provider', 'authwatch_credential_info']] as const) {
      const v = variables.find((v) => v.name === name);
      expect(v, name).toMatchObject({ type: 'query', includeAll: true, multi: true, allValue: '.*' });
      expect(v?.query).toMatchObject({ query: `label_values(${metric}, ${name})` });
    }
  });

  it('gives every panel a title, a description, a unit, a grid position and a unique id', () => {
    const ids = (dashboard.panels ?? []).map((panel) => panel.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const panel of dataPanels()) {
      expect(panel.title).toBeTruthy();
      expect(panel.description, panel.title).toBeTruthy();
      expect(panel.fieldConfig?.defaults?.unit, panel.title).toBeTruthy();
      expect(panel.gridPos, panel.title).toBeDefined();
      expect(['stat', 'bargauge', 'table', 'timeseries']).toContain(panel.type);
    }
  });

  it('hard-codes no instance or host and filters every authwatch query by $host', () => {
    for (const { panel, refId, expr } of queries()) {
      expect(expr, `${panel} ${refId}`).not.toMatch(/\b(instance|host)\s*=~?\s*"(?!\$host")/);
      expect(expr, `${panel} ${refId}`).toMatch(/"\$host"/);
    }
    for (const panel of dataPanels()) expect(panel.type === 'table' || (panel.targets ?? []).every((t) => (t as { legendFormat?: string }).legendFormat), panel.title).toBe(true);
  });

  it('uses only the Grafana time macro $__rate_interval, in range queries', () => {
    for (const panel of dataPanels()) {
      for (const target of panel.targets ?? []) {
        const { expr, instant } = target as { expr: string; instant?: boolean };
        for (const macro of expr.match(/\$__\w+/g) ?? []) expect(macro).toBe('$__rate_interval');
        if (expr.includes('$__rate_interval')) expect(instant, panel.title).toBe(false);
      }
    }
  });
});

describe('the runbook (docs/runbook.md)', () => {
  it('has a section for every alert, and every runbook_url points at one', () => {
    const rules = readFileSync(new URL('../../deploy/prometheus/authwatch.rules.yml', import.meta.url), 'utf8');
    const runbook = readFileSync(new URL('../../docs/runbook.md', import.meta.url), 'utf8');
    const anchors = new Set([...runbook.matchAll(/^## (.+)$/gm)].map((m) => m[1]!.toLowerCase().replace(/[^\w\- ]/g, '').replace(/ /g, '-')));
    const alerts = [...rules.matchAll(/- alert: (\w+)/g)].map((m) => m[1]!);
    const urls = [...rules.matchAll(/runbook_url: "[^"#]+#([\w-]+)"/g)].map((m) => m[1]!);
    expect(urls).toHaveLength(alerts.length);
    for (const alert of alerts) expect(urls).toContain(alert.toLowerCase());
    for (const anchor of urls) expect(anchors).toContain(anchor);
    const described = [...rules.matchAll(/- alert: \w+[\s\S]*?(?=- alert:|$)/g)].filter((m) => !/description: /.test(m[0]));
    expect(described.map((m) => m[0].split('\n')[0])).toEqual([]);
  });
});
