import type { Status } from '../evaluate/status.js';
import type { Logger } from '../core/log.js';

/** Why a profile is in this message. */
export type NoticeKind = 'new' | 'escalation' | 'reminder' | 'resolved' | 'firing';

/** One profile to tell someone about. Never holds a secret. */
export interface Notice {
  /** Stable key of the profile: `<agent>/<id>` (ids repeat across OpenClaw agents). */
  key: string;
  profile: string;
  agent: string | null;
  /** The fleet name of the gateway that reported it (the config's `gateways`); absent otherwise. */
  gateway?: string;
  provider: string;
  source: string;
  status: Status;
  kind: NoticeKind;
  /** Epoch ms since the profile has been in this status. */
  since: number;
  expiresAt: number | null;
  remainingMs: number | null;
  path: string | null;
  detail: string;
  fix: string;
  /** No gateway route uses it (told because the config asks for every profile). */
  offRoute: boolean;
  /** A usage item's subject (`5h window`, `7d pace`): the notice is about that, not the credential's health. */
  topic?: string;
  /**
   * The same fact told of several agents (a credential of the shared store, a route each agent
   * has): every alert item it stands for, `key` first. Messages name the agents once;
   * Alertmanager-shaped payloads keep one alert per item, as their receivers identify them.
   */
  group?: readonly { key: string; agent: string | null }[];
}

/** Everything one channel is told in one run: one message. */
export interface AlertBatch {
  host: string;
  now: number;
  notices: Notice[];
  /** A message about authwatch itself (a channel test, a failed unit), not about credentials. */
  about?: { subject: string; text: string; severity: 'critical' | 'warning' | 'info' };
}

export interface Notifier {
  send(batch: AlertBatch): Promise<void>;
}

export interface NotifierDeps {
  env: NodeJS.ProcessEnv;
  log: Logger;
}
