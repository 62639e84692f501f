import { annotationsOf, severityOf } from './message.js';
import type { AlertBatch, Notice } from './notifier.js';
import { membersOf } from './group.js';

/** Alertmanager-style labels of one notice; the same set identifies the same alert everywhere. */
function labelsOf(notice: Notice, host: string): Record<string, string> {
  return {
    alertname: notice.topic ? 'AuthwatchUsage' : 'AuthwatchCredential',
    profile: notice.profile,
    ...(notice.topic ? { topic: notice.topic } : {}),
    provider: notice.provider,
    source: notice.source,
    ...(notice.agent ? { agent: notice.agent } : {}),
    ...(notice.gateway ? { gateway: notice.gateway } : {}),
    status: notice.status,
    // A resolved notice carries the status it had while firing, so its labels — and so its
    // identity — match the alert it closes.
    severity: severityOf({ status: notice.status, kind: 'firing' }),
    instance: host,
  };
}

/** Alertmanager's fingerprint is a hash of the label set; ours is stable the same way. */
function alertFingerprint(labels: Record<string, string>): string {
  const canonical = Object.keys(labels)
    .sort()
    .map((key) => `${key}=${labels[key]}`)
    .join('\u0000');
  // Loaded here, on the first send: most runs send nothing and need no node:crypto.
  const { createHash } = process.getBuiltinModule('node:crypto');
  return createHash('sha256').update(canonical).digest('hex').slice(0, 16);
}

/**
 * The alerts of a batch in Alertmanager's shape: firing ones end `resolveAfterMs` from now
 * (so Alertmanager resolves them itself if authwatch stops sending), resolved ones end now.
 */
export function alertsOf(batch: AlertBatch, resolveAfterMs: number) {
  // One alert per alert item: a notice told of several agents is one alert per agent, so each
  // keeps the identity its receiver knows it by (and is resolved under it).
  return batch.notices.flatMap((notice) => membersOf(notice).map((member) => ({ ...notice, key: member.key, agent: member.agent }))).map((notice) => {
    const resolved = notice.kind === 'resolved';
    const labels = labelsOf(notice, batch.host);
    return {
      status: resolved ? ('resolved' as const) : ('firing' as const),
      labels,
      annotations: annotationsOf(notice),
      startsAt: new Date(notice.since).toISOString(),
      endsAt: new Date(resolved ? batch.now : batch.now + resolveAfterMs).toISOString(),
      generatorURL: '',
      fingerprint: alertFingerprint(labels),
    };
  });
}
