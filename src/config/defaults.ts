import { policyModes } from './policy-modes.js';

// What the config's parts default to, stated once for the schema and for defaultConfig. This
// module holds values only: a run without a config file (or with one validated before) loads
// no schema at all (config/schema.ts, with the channel and declared-credential schemas it
// pulls in, is loaded only to parse a config).

export const openclawDefault = { fromCli: false, command: ['openclaw'], timeout: 20_000 };
export const daemonDefault = { scrapeTtl: 30_000 };
export const scheduleDefault = '*/15 * * * *';

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
    schedule: scheduleDefault,
    daemon: { ...daemonDefault },
    metrics: {},
    channels: [],
    heartbeats: [],
    alerting: { ...defaultAlerting, repeat: { ...defaultAlerting.repeat } },
  };
}
