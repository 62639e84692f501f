import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { makeDirectory, writeFileAtomic } from '../core/atomic-write.js';
import { dirname, join } from 'node:path';
import { AuthwatchError } from '../core/errors.js';
import { runCommand } from './run-command.js';
import { fillTemplate, installation, readTemplate } from './template.js';

/** The prefix the templates are written for; the installer puts the real one in its place. */
const termuxPrefix = '/data/data/com.termux/files/usr';
/** One fixed job id, so installing again replaces the job instead of adding a second. */
export const jobId = 4711;
/** Android's minimum period for a periodic job. */
const periodMs = 900_000;

export interface TermuxOptions {
  prefix: string;
  home: string;
  dryRun: boolean;
}

export function termuxFiles(home: string) {
  return {
    job: join(home, '.local', 'share', 'authwatch', 'authwatch-job.sh'),
    boot: join(home, '.termux', 'boot', 'authwatch'),
    widget: join(home, '.shortcuts', 'tasks', 'authwatch-check'),
  };
}

export function scheduleCommand(job: string): string[] {
  return ['termux-job-scheduler', '--job-id', String(jobId), '-s', job, '--period-ms', String(periodMs), '--network', 'any', '--persisted', 'true'];
}

/** Termux is the one with `$TERMUX_VERSION` or a `$PREFIX` inside com.termux. */
export function resolvePrefix(flag: string | undefined, env: NodeJS.ProcessEnv): string {
  if (flag) return flag;
  if (env.TERMUX_VERSION || env.PREFIX?.includes('com.termux')) return env.PREFIX ?? termuxPrefix;
  throw new AuthwatchError('this does not look like Termux (no $TERMUX_VERSION); give --prefix to install anyway');
}

/** Renders a Termux script: the real prefix, node and entry script (inside double quotes, so no quotes or `$` allowed). */
export function renderScript(template: string, name: string, values: { prefix: string; node: string; entry: string; job: string }): string {
  for (const [key, value] of Object.entries(values)) {
    if (/["$`\\\n]/.test(value)) throw new AuthwatchError(`cannot install: the ${key} path ${value} contains a quote, $, backslash or newline`);
  }
  return fillTemplate(template.replaceAll(termuxPrefix, values.prefix), { NODE: values.node, ENTRY: values.entry, JOB: values.job, JOB_ID: String(jobId) }, name);
}

export async function installTermux(options: TermuxOptions, out: (line: string) => void): Promise<void> {
  const { node, entry, root } = installation();
  const files = termuxFiles(options.home);
  const values = { prefix: options.prefix, node, entry, job: files.job };
  const scripts = [
    { path: files.job, template: 'termux/authwatch-job.sh.in' },
    { path: files.boot, template: 'termux/authwatch-boot.sh.in' },
    { path: files.widget, template: 'termux/authwatch-widget.sh.in' },
  ];
  for (const script of scripts) {
    const text = renderScript(readTemplate(root, script.template), script.template, values);
    if (options.dryRun) out(`would write ${script.path}:\n${text}`);
    else {
      makeDirectory(dirname(script.path), 0o700);
      writeFileAtomic(script.path, text, { mode: 0o700, durable: true });
      out(`wrote ${script.path}`);
    }
  }
  runCommand(scheduleCommand(files.job), { dryRun: options.dryRun, timeoutMs: 20_000 }, out);
  out('note: install the Termux:API app (and `pkg install termux-api`) for the job and notifications;');
  out('      install Termux:Boot and open it once so the job survives a reboot; add the widget from Termux:Widget');
}

export async function uninstallTermux(options: TermuxOptions, out: (line: string) => void): Promise<void> {
  runCommand(['termux-job-scheduler', '--cancel', '--job-id', String(jobId)], { dryRun: options.dryRun, timeoutMs: 20_000 }, out);
  for (const path of Object.values(termuxFiles(options.home))) {
    if (!existsSync(path)) continue;
    if (options.dryRun) out(`would remove ${path}`);
    else {
      await rm(path, { force: true });
      out(`removed ${path}`);
    }
  }
}
