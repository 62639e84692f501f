import type { Config, LiveConfig } from '../config/schema.js';
import type { Profile } from '../sources/source.js';
import { quotaThresholdsDefault } from '../config/defaults.js';

type LiveObject = Exclude<LiveConfig, boolean>;

/** The live settings of one run, every default filled in. */
export interface LiveSettings {
  /** Checks on for every profile not turned off (the config's `live`, or `check --live`). */
  enabled: boolean;
  intervalMs: number;
  quotaIntervalMs: number;
  timeoutMs: number;
  runTimeoutMs: number;
  concurrency: number;
  quotaWarnRatio: number;
  providers: LiveObject['providers'];
  profiles: LiveObject['profiles'];
}

const defaults: LiveObject = {
  enabled: true,
  interval: 3_600_000,
  quotaInterval: 300_000,
  timeout: 8_000,
  runTimeout: 20_000,
  concurrency: 2,
  quotaWarn: 90,
  quotaThresholds: [...quotaThresholdsDefault],
  providers: {},
  profiles: {},
};

/** `null`: no live check can happen in this run (nothing turned on anywhere), so nothing is even prepared. */
export function liveSettings(config: Config, flag: boolean): LiveSettings | null {
  const given = config.live;
  const object = typeof given === 'object' ? given : { ...defaults, enabled: given === true };
  const enabled = flag || object.enabled;
  const anyOn = enabled || Object.values(object.providers).some((p) => p.enabled === true) || Object.values(object.profiles).some((p) => p.enabled);
  if (!anyOn) return null;
  return {
    enabled,
    intervalMs: object.interval,
    quotaIntervalMs: object.quotaInterval,
    timeoutMs: object.timeout,
    runTimeoutMs: object.runTimeout,
    concurrency: object.concurrency,
    quotaWarnRatio: object.quotaWarn / 100,
    providers: object.providers,
    profiles: object.profiles,
  };
}

/** The most specific switch wins: the profile's, then its provider's, then the global one. */
export function liveOnFor(settings: LiveSettings, profile: Profile): boolean {
  return settings.profiles[profile.id]?.enabled ?? settings.providers[profile.provider]?.enabled ?? settings.enabled;
}
