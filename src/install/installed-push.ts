import { AuthwatchError } from '../core/errors.js';
import { urlForMessages } from '../core/scrub.js';
import { attempt } from './run-command.js';

/** The Pushgateway an installation pushes to: the URL and where its Basic auth comes from. */
export interface PushInstall {
  url: string;
  user: string | null;
  /** An absolute path to the file holding the password. */
  passwordFile: string | null;
}

const markerStart = '# authwatch push group (uninstall deletes it): ';

/** One comment line in the installed unit or script, so `uninstall` knows which group to delete. */
export function pushMarker(push: PushInstall | null): string {
  return push ? `${markerStart}${JSON.stringify(push)}` : '';
}

export function findPushMarker(text: string): PushInstall | null {
  const line = text.split('\n').find((l) => l.startsWith(markerStart));
  if (!line) return null;
  try {
    const value = JSON.parse(line.slice(markerStart.length)) as Partial<PushInstall>;
    if (typeof value.url === 'string') return { url: value.url, user: value.user ?? null, passwordFile: value.passwordFile ?? null };
  } catch {
    // an edited line: said below
  }
  throw new AuthwatchError(`the installed line "${markerStart.trim()}" is damaged: delete the Pushgateway group by hand`);
}

/** Deletes the installation's own group (job authwatch, instance = this host) from its Pushgateway. */
async function deleteInstalledGroup(push: PushInstall, env: NodeJS.ProcessEnv): Promise<void> {
  const { readSecret } = await import('../config/read-secret.js');
  const { deletePushGroup } = await import('../outputs/pushgateway.js');
  const password = push.user && push.passwordFile ? await readSecret({ file: push.passwordFile }, 'the Pushgateway password file', env) : null;
  await deletePushGroup({ url: push.url, ...(push.user && password !== null ? { basic: { user: push.user, password } } : {}) });
}

/** Deletes the group (or, for a dry run, says it would), as one step of an uninstall that goes on past failures. */
export async function deleteGroup(push: PushInstall, options: { dryRun: boolean }, env: NodeJS.ProcessEnv, out: (line: string) => void, failures: string[]): Promise<void> {
  const what = `this host's group on the Pushgateway ${urlForMessages(push.url)}`;
  if (options.dryRun) return out(`would delete ${what}`);
  await attempt(failures, async () => {
    try {
      await deleteInstalledGroup(push, env);
    } catch (error) {
      throw error instanceof AuthwatchError ? error : new AuthwatchError((error as Error).message);
    }
    out(`deleted ${what}`);
  }, out);
}
