import type { Config } from '../config/schema.js';
import type { Logger } from '../core/log.js';
import type { QuotaPolicy } from '../evaluate/live.js';
import type { LiveRun } from './run.js';

/** What a check needs for its live checks (`CheckInputs.live`). */
interface PreparedLive {
  run: LiveRun;
  quota: QuotaPolicy;
}

/**
 * The live checks of one check run, made from the config as it is now (`check` and every
 * daemon check alike), or `null` when none is turned on: nothing of src/live is loaded then.
 * `flag`: `check --live`. The results are kept in the state dir, so the interval holds across runs.
 */
export async function prepareLive(config: Config, flag: boolean, deps: { env: NodeJS.ProcessEnv; home: string; now: number; log: Logger }): Promise<PreparedLive | null> {
  if (!flag && config.live === undefined) return null;
  const { liveSettings } = await import('./settings.js');
  const settings = liveSettings(config, flag);
  if (!settings) return null;
  const [{ createLiveRun }, { stateDirectory, makeStateDirectory }] = await Promise.all([import('./run.js'), import('../core/state-dir.js')]);
  const managementKey = settings.providers.openrouter?.managementKey;
  // Read like every secret the config refers to (registered with the scrubber as it is read); unreadable: exit 3 naming the field.
  const accountKey = managementKey ? await (await import('../config/read-secret.js')).readSecret(managementKey, 'live.providers.openrouter.managementKey', deps.env) : null;
  const run = createLiveRun(settings, { stateDir: stateDirectory(deps.env, deps.home), now: deps.now, log: deps.log, makeStateDir: makeStateDirectory, accountKey });
  return { run, quota: { warnRatio: settings.quotaWarnRatio } };
}
