import { type Dashboard, type Panel, type RowPanel } from '@grafana/schema';
import json from '../../deploy/grafana/authwatch.json' with { type: 'json' };

/**
 * A JSON import types every string as `string` and every number as `number`, so Grafana's
 * literal unions and enums are widened here; everything else (field names, nesting, required
 * fields, value kinds) `npm run typecheck` checks against Grafana's own Dashboard type.
 */
type Widen<T> = T extends string ? string : T extends number ? number : T extends boolean ? boolean : T extends readonly (infer E)[] ? Widen<E>[] : T extends object ? { [K in keyof T]: Widen<T[K]> } : T;
const widened: Widen<Dashboard> = json;
/** The dashboard as Grafana's type; the literal values the widening let through are linted below. */
export const dashboard = widened as unknown as Dashboard;

const isRow = (panel: Panel | RowPanel): panel is RowPanel => panel.type === 'row';
export const dataPanels = (): Panel[] => (dashboard.panels ?? []).filter((panel): panel is Panel => !isRow(panel));
export const queries = () => dataPanels().flatMap((panel) => (panel.targets ?? []).map((target) => ({ panel: panel.title ?? '', refId: target.refId, expr: String((target as { expr?: unknown }).expr ?? '') })));
