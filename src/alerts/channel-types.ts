/**
 * Channel types whose receiver must hear about every still-bad profile on every run, not only
 * about changes: Alertmanager expects firing alerts to be re-sent (they expire at `endsAt`).
 * Known without loading any channel's module: a run that has nothing to send loads none.
 */
const firingResenders: ReadonlySet<string> = new Set(['alertmanager']);

export function resendsFiring(channel: { type: string }): boolean {
  return firingResenders.has(channel.type);
}
