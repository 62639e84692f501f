import { hostname } from 'node:os';
import type { Config } from './schema.js';

/** The name alerts and metrics give this machine: `alerting.host`, else the host name. */
export function hostName(config: Config): string {
  return config.alerting.host ?? hostname();
}
