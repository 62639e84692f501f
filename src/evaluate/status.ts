import { ExitCode } from '../core/errors.js';

export const statuses = ['ok', 'expiring', 'expired', 'missing', 'error'] as const;
export type Status = (typeof statuses)[number];

/** How bad a status is: "worst wins", escalations, and the order notices are listed in. */
export const statusRank: Readonly<Record<Status, number>> = { ok: 0, expiring: 1, error: 2, missing: 3, expired: 4 };

export function worstStatus(list: readonly Status[]): Status {
  let worst: Status = 'ok';
  for (let index = 0; index < list.length; index++) if (statusRank[list[index]!] > statusRank[worst]) worst = list[index]!;
  return worst;
}

/** `openclaw models status --check` semantics: 1 not working, 2 expiring, 0 fine. */
export function exitCodeFor(status: Status): ExitCode {
  switch (status) {
    case 'ok':
      return ExitCode.Ok;
    case 'expiring':
      return ExitCode.Expiring;
    default:
      return ExitCode.ExpiredOrMissing;
  }
}
