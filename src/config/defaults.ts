import { policyModes } from './policy-modes.js';

// What the config's parts default to, stated once for the schema and for defaultConfig. Values
// only: a run without a config file loads no schema (config/schema.ts is loaded to parse one).

export const openclawDefault = { fromCli: false, command: ['openclaw'], timeout: 20_000, gatewayTimeout: 10_000 };
export const daemonDefault = { scrapeTtl: 30_000 };
export const scheduleDefault = '*/15 * * * *';
/** Usage-window alert thresholds, percent (`live.quotaThresholds`). */
export const quotaThresholdsDefault: readonly number[] = [75, 90, 100];

const day = 86_400_000;
const hours4 = 4 * 3_600_000;
export const defaultRepeat = { expiring: day, expired: hours4, missing: hours4, error: hours4 };

/** What `alerting: {}` parses to (a test holds them equal). Here, not beside the schema: every run needs it, few the schema. */
export const defaultAlerting = { repeat: { ...defaultRepeat }, sendResolved: true };

/**
 * What no config file means (a test holds it equal to what the schema makes of `{}`). A fresh
 * copy each time, so no caller can change another's.
 */
export function defaultConfig() {
  return {
    require: [],
    policy: policyModes[0],
    strictRefreshable: false,
    strictProfiles: false,
    providers: {},
    profiles: {},
    declared: [],
    openclaw: { ...openclawDefault, command: [...openclawDefault.command] },
    gateways: [],
    schedule: scheduleDefault,
    daemon: { ...daemonDefault },
    metrics: {},
    channels: [],
    heartbeats: [],
    alerting: { ...defaultAlerting, repeat: { ...defaultAlerting.repeat } },
  };
}
