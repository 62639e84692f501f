import type { Notice, NoticeKind } from './notifier.js';

// One notice per fact: a credential of the shared store (or a route every agent has the same
// way) is one alert item per agent in the memory, but the person reading is told it once, with
// the agents it affects. Pure.

/** Which kind a merged notice takes: the one that says most (a new or worse fact over a reminder). */
const kindRank: Record<NoticeKind, number> = { escalation: 4, new: 3, reminder: 2, firing: 1, resolved: 0 };

/** The detail without its trailing `fix: …` (route rows end in the fix, which names the agent). */
const withoutFix = (notice: Notice) => (notice.fix ? notice.detail.replace(`; fix: ${notice.fix}`, '').replace(`fix: ${notice.fix}`, '') : notice.detail);

/** What makes two agents' notices the same fact: everything but the agent, its key and its agent-specific fix. */
function factOf(notice: Notice): string {
  const { gateway = '', provider, profile, source, path, status, topic = '' } = notice;
  return JSON.stringify([notice.kind === 'resolved', gateway, provider, profile, source, path, status, topic, withoutFix(notice), notice.offRoute]);
}

/** The members of a notice: the alert items it stands for. */
export const membersOf = (notice: Notice) => notice.group ?? [{ key: notice.key, agent: notice.agent }];

/**
 * Merges the notices that tell the same fact of several agents into one, listing the agents.
 * Fixes that differ by agent (`--agent work`) are kept, each named by its agent.
 */
export function groupNotices(notices: readonly Notice[]): Notice[] {
  const groups = new Map<string, Notice[]>();
  for (const notice of notices) {
    const fact = factOf(notice);
    const group = groups.get(fact);
    if (group) group.push(notice);
    else groups.set(fact, [notice]);
  }
  return [...groups.values()].map((group) => {
    if (group.length === 1) return group[0]!;
    const sorted = group.toSorted((a, b) => (a.agent ?? '').localeCompare(b.agent ?? ''));
    const first = sorted[0]!;
    const fixes = [...new Set(sorted.map((n) => n.fix))];
    const fix = fixes.length === 1 ? fixes[0]! : sorted.map((n) => `${n.agent === null ? '' : `agent ${n.agent}: `}${n.fix}`).join('; ');
    return {
      ...first,
      kind: sorted.reduce((a, b) => (kindRank[b.kind] > kindRank[a.kind] ? b : a)).kind,
      since: Math.min(...sorted.map((n) => n.since)),
      detail: withoutFix(first),
      fix,
      group: sorted.map((n) => ({ key: n.key, agent: n.agent })),
    };
  });
}
