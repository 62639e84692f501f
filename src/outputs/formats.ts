import type { ExitCode } from '../core/errors.js';
import type { Report } from '../evaluate/report.js';
import { reportToJson, type RunOutcome } from './json.js';
import { providersTableLines } from './providers-table.js';
import { renderTable } from './table.js';

/** What a format prints, and the exit code when the format has its own (the old script's). */
interface Rendered {
  text: string;
  exitCode?: ExitCode;
}

interface Format {
  /** One line for `check --help`. */
  usage: string;
  /** `width`: the terminal's columns, when stdout is one (the table fits them). */
  render(report: Report, options: { colour: boolean; width?: number }): Rendered | Promise<Rendered>;
}

// The shapes of OpenClaw's old claude-auth-status.sh are loaded only by the runs that ask for them.
const compat = () => import('./openclaw-compat.js');

const registry = {
  table: {
    usage: 'a line per provider in use, a row per credential, then a summary (the default)',
    render: (report, options) => ({ text: renderTable(report, { ...options, above: providersTableLines(report.routes, options.width, report.checkedAt) }) }),
  },
  json: { usage: 'one JSON document (same as --json)', render: (report) => ({ text: renderJson(report) }) },
  'openclaw-json': { usage: "the JSON of OpenClaw's old claude-auth-status.sh", render: async (report) => ({ text: (await compat()).renderOpenclawJson(report) }) },
  'openclaw-simple': {
    usage: 'its one-word answer; exits like that script',
    render: async (report) => {
      const simple = (await compat()).openclawSimple(report);
      return { text: `${simple.token}\n`, exitCode: simple.exitCode };
    },
  },
} satisfies Record<string, Format>;

/** The `--json` document; a `check` run adds its exit code and alerts. */
export function renderJson(report: Report, run?: RunOutcome): string {
  return `${JSON.stringify(reportToJson(report, run), null, 2)}\n`;
}

export type FormatName = keyof typeof registry;
/** The only list of `check --format` values: the option's check and its help are built from it. */
export const formats: Record<FormatName, Format> = registry;
export const formatNames = Object.keys(formats) as FormatName[];

/** The formats for a usage text, one a line, indented by `indent`. */
export function formatsUsage(indent: string): string {
  const width = Math.max(...formatNames.map((name) => name.length));
  return formatNames.map((name) => `${indent}${name.padEnd(width)}  ${formats[name].usage}`).join('\n');
}
