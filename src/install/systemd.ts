import { refuseControlCharacters, systemdArgument, systemdCommand, systemdRestOfLine, systemdWord, tmpfilesPath } from './render-grammar.js';
import { fillTemplate } from './template.js';

export type SystemdMode = 'user' | 'system';

export interface SystemdInputs {
  mode: SystemdMode;
  /** Install the long-running daemon instead of the 15-minute check timer. */
  daemon: boolean;
  node: string;
  entry: string;
  /** Environment the units set explicitly (HOME, PATH, AUTHWATCH_CONFIG, …). */
  environment: Readonly<Record<string, string>>;
  checkArgs: readonly string[];
  runAs: string;
  /** systemd credentials (name → file) loaded into $CREDENTIALS_DIRECTORY. */
  credentials: readonly { name: string; path: string }[];
  /** Directories the check writes besides its state and cache (the textfile's). */
  readWritePaths: readonly string[];
  /** A line for `uninstall` to find what it must undo beyond the files (see installed-push.ts). */
  marker: string;
}

interface UnitFile {
  name: string;
  template: string;
}

/** The hardening every system unit includes (deploy/systemd/system/hardening.conf). */
export const hardeningTemplate = 'deploy/systemd/system/hardening.conf';

/** Which templates make up an installation. */
export function unitFiles(inputs: Pick<SystemdInputs, 'mode' | 'daemon'>): UnitFile[] {
  const variant = `deploy/systemd/${inputs.mode}`;
  const failure = { name: 'authwatch-failure@.service', template: `${variant}/authwatch-failure@.service.in` };
  return inputs.daemon
    ? [{ name: 'authwatch.service', template: `${variant}/authwatch.service.in` }, failure]
    : [
        { name: 'authwatch-check.service', template: `${variant}/authwatch-check.service.in` },
        { name: 'authwatch-check.timer', template: 'deploy/systemd/authwatch-check.timer.in' },
        failure,
      ];
}

/** The unit that `enable --now` starts. */
export function primaryUnit(inputs: Pick<SystemdInputs, 'daemon'>): string {
  return inputs.daemon ? 'authwatch.service' : 'authwatch-check.timer';
}

/** Renders one unit from its template: pure, so the exact text is unit-tested. */
export function renderUnit(template: string, name: string, inputs: SystemdInputs, hardening: string): string {
  // Each directive in its own grammar (systemd.syntax, systemd.exec): `$` is a variable only in ExecStart='s arguments.
  const environment = Object.entries(inputs.environment)
    .map(([key, value]) => `Environment=${systemdWord(`${key}=${value}`, `the environment variable ${key}`)}`)
    .join('\n');
  const credentials = inputs.credentials
    .map(({ name: credential, path }) => `LoadCredential=${credential}:${systemdRestOfLine(path, `the ${credential} file`)}`)
    .join('\n');
  return fillTemplate(
    template,
    {
      NODE: systemdCommand(inputs.node, 'the node binary'),
      ENTRY: systemdArgument(inputs.entry, "authwatch's entry script"),
      CHECK_ARGS: inputs.checkArgs.map((arg, i) => ` ${systemdArgument(arg, `the ${inputs.checkArgs[i - 1] ?? 'check'} argument`)}`).join(''),
      ENVIRONMENT: [refuseControlCharacters(inputs.marker, 'the push marker'), environment].filter(Boolean).join('\n'),
      CREDENTIALS: inputs.mode === 'system' ? credentials : '',
      RUN_AS: refuseControlCharacters(inputs.runAs, 'the unit user'),
      READ_WRITE_PATHS: inputs.readWritePaths.map((path) => `ReadWritePaths=${systemdWord(path, 'the writable directory')}`).join('\n'),
      HARDENING: hardening.trimEnd(),
    },
    name,
  );
}

/**
 * The tmpfiles.d entry that lets the unit's user write its textfile into `dir` without
 * changing the directory's owner or mode (Debian's node-exporter directory is root 0755):
 * create the directory if it is missing, and give that one user rwx by a POSIX ACL.
 */
export function renderTmpfiles(dir: string, user: string): string {
  const path = tmpfilesPath(dir, 'the textfile directory');
  refuseControlCharacters(user, 'the unit user');
  return [
    '# authwatch (written by `authwatch install systemd --system`): its textfile directory,',
    `# writable by ${user} through an ACL; owner and mode stay as they are.`,
    `d ${path} - - - -`,
    `a+ ${path} - - - - u:${user}:rwx`,
    '',
  ].join('\n');
}
