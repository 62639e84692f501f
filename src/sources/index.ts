import type { Logger } from '../core/log.js';
import { claudeCode } from './claude-code.js';
import { minimaxCli, qwenCli } from './cli-oauth-creds.js';
import { codex } from './codex.js';
import { envKeys } from './env-keys.js';
import { geminiCli } from './gemini-cli.js';
import { openclawAuthProfiles } from './openclaw-auth-profiles.js';
import { openclawDb } from './openclaw-db.js';
import { failedVisit, problemProfile, type Source, type SourceContext, type SourceResult } from './source.js';

/** Every credential source, in report order. The only list: add a source here. */
const sources: readonly Source[] = [openclawDb, openclawAuthProfiles, envKeys, claudeCode, codex, geminiCli, qwenCli, minimaxCli];

/**
 * Runs every source concurrently. A source that throws (a bug, or an I/O failure it did not
 * expect) becomes one `error` row; it never takes the other sources down with it.
 */
export async function readAllSources(context: SourceContext, log: Logger, skip: ReadonlySet<string> = new Set()): Promise<SourceResult> {
  const results = await Promise.all(
    sources.filter((source) => !skip.has(source.name)).map(async (source): Promise<SourceResult> => {
      try {
        const result = await source.read(context);
        log.debug({ source: source.name, profiles: result.profiles.length, visits: result.visits.length }, 'source read');
        return result;
      } catch (error) {
        log.error({ source: source.name, err: error }, 'source failed unexpectedly');
        const message = `the ${source.name} source failed unexpectedly: ${error instanceof Error ? error.name : 'error'}`;
        return {
          profiles: [problemProfile({ id: `${source.name}:source`, provider: 'unknown', source: source.name, path: null }, message)],
          visits: [failedVisit(source.name, null, message)],
        };
      }
    }),
  );
  return { profiles: results.flatMap((r) => r.profiles), visits: results.flatMap((r) => r.visits) };
}
