import * as z from '../core/zod.js';
import * as healthchecks from './healthchecks.js';
import type { Heartbeat } from './heartbeat-types.js';
import type { NotifierDeps } from './notifier.js';
import * as uptimeKuma from './uptime-kuma.js';

interface HeartbeatModule {
  schema: z.ZodMiniType<{ type: string; name: string; timeout: number; provider?: string | undefined; expiringFails: boolean }>;
  create(config: never, deps: NotifierDeps): Heartbeat;
}

/** The only list of heartbeat targets (dead-man's-switch pings): the config's union and the factory are built from it. */
export const heartbeatTargets = { healthchecks, 'uptime-kuma': uptimeKuma } satisfies Record<string, HeartbeatModule>;

type TargetType = keyof typeof heartbeatTargets;
const targetTypes = Object.keys(heartbeatTargets) as [TargetType, ...TargetType[]];
export type HeartbeatConfig = z.output<(typeof heartbeatTargets)[TargetType]['schema']>;

/** `heartbeats` in the config: each target checked against its own type's schema, each named once. */
export const heartbeatsSchema = z.lazy(() =>
  z
    .array(
      z.pipe(
        z.looseObject({ type: z.enum(targetTypes) }),
        z.transform((target, ctx) => {
          const result = (heartbeatTargets[target.type].schema as z.ZodMiniType<HeartbeatConfig>).safeParse(target);
          if (result.success) return result.data;
          ctx.issues.push(...(result.error.issues as typeof ctx.issues));
          return z.NEVER;
        }),
      ),
    )
    .check(
      z.superRefine((targets, ctx) => {
        const seen = new Set<string>();
        targets.forEach((target, index) => {
          if (seen.has(target.name)) ctx.addIssue({ code: 'custom', path: [index, 'name'], message: `the heartbeat name "${target.name}" is used twice` });
          seen.add(target.name);
        });
      }),
    ),
);
