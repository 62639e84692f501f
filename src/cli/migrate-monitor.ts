import { AuthwatchError, ExitCode } from '../core/errors.js';
import { maxUnitFileBytes, readBoundedText } from '../core/files.js';
import { parseCommandArgs } from './options.js';
import { readUnitEnvironment } from '../install/unit-file.js';
import { writeStdout } from './stdout.js';

const migrateUsage = `Usage: authwatch migrate-openclaw-monitor [UNIT_FILE]

Reads the settings of OpenClaw's old auth monitor (WARN_HOURS, NOTIFY_NTFY, NOTIFY_PHONE) from
its systemd unit file (e.g. ~/.config/systemd/user/openclaw-auth-monitor.service) or, without
a file, from the environment, and prints an equivalent authwatch config (JSON5) on stdout.
Afterwards disable the old timer: systemctl --user disable --now openclaw-auth-monitor.timer
`;

/** The old monitor's settings. */
const monitorSettings = ['WARN_HOURS', 'NOTIFY_NTFY', 'NOTIFY_PHONE'];

/** The old monitor's settings from its unit file, read by systemd's rules; what cannot be read is an error, never a dropped channel. */
export function monitorSettingsOf(text: string, file: string): Map<string, string> {
  const { values, problems } = readUnitEnvironment(text);
  const relevant = problems.filter((p) => p.variable === undefined || monitorSettings.includes(p.variable));
  if (relevant.length > 0) {
    throw new AuthwatchError(`${file}: cannot read the old monitor's settings as systemd would: ${relevant.map((p) => p.message).join('; ')}`, {
      hint: `give them in the environment instead: WARN_HOURS=… NOTIFY_NTFY=… NOTIFY_PHONE=… authwatch migrate-openclaw-monitor (no file)`,
    });
  }
  return new Map([...values].filter(([key]) => monitorSettings.includes(key)));
}

/** `my-topic` or `https://ntfy.example.com/my-topic` → server and topic. */
function ntfyTarget(value: string): { url: string; topic: string } {
  const match = /^(https?:\/\/[^/]+)\/([^/?#]+)\/?$/.exec(value.trim());
  return match ? { url: match[1]!, topic: match[2]! } : { url: 'https://ntfy.sh', topic: value.trim() };
}

const quote = (value: string) => JSON.stringify(value);

/** The JSON5 config equivalent to the old monitor's settings, with what changed in comments. */
function migratedConfig(settings: ReadonlyMap<string, string>, origin: string): string {
  const warnText = settings.get('WARN_HOURS')?.trim() ?? '2';
  const warnHours = /^\d+(\.\d+)?$/.test(warnText) ? Number(warnText) : Number.NaN;
  if (!(warnHours > 0)) throw new AuthwatchError(`WARN_HOURS (${origin}): expected a positive number of hours like 2 or 1.5, not ${JSON.stringify(warnText.slice(0, 40))}`);
  const warn = `${warnHours}h`;
  const channels: string[] = [];
  const ntfy = settings.get('NOTIFY_NTFY')?.trim();
  if (ntfy) {
    const { url, topic } = ntfyTarget(ntfy);
    channels.push(`    { name: "ntfy", type: "ntfy", url: ${quote(url)}, topic: ${quote(topic)} },`);
  }
  const phone = settings.get('NOTIFY_PHONE')?.trim();
  if (phone) {
    channels.push(`    // the old monitor used \`openclaw send\`; OpenClaw 2026 calls it \`openclaw message send --target\`.`);
    channels.push(`    // With more than one chat channel configured, add "--channel", "whatsapp" (or signal, telegram…).`);
    channels.push(`    { name: "phone", type: "command", command: ["openclaw", "message", "send", "--target", ${quote(phone)}, "--message", "{text}"] },`);
  }
  return `// authwatch config converted from OpenClaw's auth monitor (${origin}).
// What changes: every credential OpenClaw uses is checked (the old monitor read only
// ~/.claude/.credentials.json); reminders repeat per severity instead of one hourly timestamp
// shared by all alerts, so "expiring" can no longer mask "EXPIRED"; you are told when it is
// fixed; a failed send stays pending and is retried instead of being recorded as sent; every
// delivery has a timeout; and \`authwatch check\` exits 2 for expiring (the old one exited 0).
// Save as ~/.config/authwatch/config.json5 and schedule it: authwatch install systemd --user
// Then stop the old monitor, or both will alert:
//   systemctl --user disable --now openclaw-auth-monitor.timer openclaw-auth-monitor.service
{
  warn: ${quote(warn)},${settings.has('WARN_HOURS') ? '' : ' // WARN_HOURS was not set: the old default'}
  require: ["anthropic"],
  channels: [
${channels.length ? channels.join('\n') : '    // neither NOTIFY_NTFY nor NOTIFY_PHONE was set: add a channel (see the README)'}
  ],
}
`;
}

export async function migrateMonitor(argv: string[]): Promise<ExitCode> {
  const { values, positionals } = parseCommandArgs('migrate-openclaw-monitor', argv, { help: { type: 'boolean', short: 'h' } }, true);
  if (values.help) {
    writeStdout(migrateUsage);
    return ExitCode.Ok;
  }
  if (positionals.length > 1) throw new AuthwatchError('migrate-openclaw-monitor: give at most one unit file');
  const file = positionals[0];
  let settings: Map<string, string>;
  if (file === undefined) {
    settings = new Map(monitorSettings.flatMap((key) => (process.env[key] ? [[key, process.env[key]!] as const] : [])));
  } else {
    const read = readBoundedText(file, maxUnitFileBytes);
    if (read.kind !== 'ok') throw new AuthwatchError(`cannot read ${file}: ${read.kind === 'absent' ? 'no such file or directory' : read.message}`);
    settings = monitorSettingsOf(read.text, file);
  }
  writeStdout(migratedConfig(settings, file ?? 'the environment'));
  return ExitCode.Ok;
}
