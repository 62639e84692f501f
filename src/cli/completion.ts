import { policyModes } from '../config/policy-modes.js';
import { AuthwatchError, ExitCode } from '../core/errors.js';
import { logLevels } from '../core/log.js';
import { singleQuoted } from '../core/shell-word.js';
import { formatNames } from '../outputs/formats.js';
import type { OptionSpec } from './args.js';
import { writeStdout } from './stdout.js';

/** What completion needs of one command in the command table. */
export interface CompletionEntry {
  summary: string;
  /** The words that may follow the command (`install systemd|termux`). */
  words?: readonly string[];
  options: () => Promise<OptionSpec>;
}

const usage = `Usage: authwatch completion bash|zsh

Prints a completion script for the shell, made from authwatch's own command table:
  bash   source <(authwatch completion bash)   or save it as /etc/bash_completion.d/authwatch
  zsh    source <(authwatch completion zsh)    or save it as _authwatch in a directory on $fpath
`;

/** The values a string option takes, where they are a closed set; `file`/`dir` complete paths. */
const values: Record<string, readonly string[] | 'file' | 'dir'> = {
  format: formatNames,
  policy: policyModes,
  'log-level': logLevels,
  config: 'file',
  textfile: 'file',
  prefix: 'dir',
};

interface Command {
  name: string;
  summary: string;
  words: readonly string[];
  flags: { name: string; takesValue: boolean; short?: string }[];
}

async function describe(table: Readonly<Record<string, CompletionEntry>>): Promise<Command[]> {
  return Promise.all(
    Object.entries(table).map(async ([name, entry]) => ({
      name,
      summary: entry.summary,
      words: entry.words ?? [],
      flags: Object.entries(await entry.options()).map(([flag, spec]) => ({ name: flag, takesValue: spec.type === 'string', ...(spec.short ? { short: spec.short } : {}) })),
    })),
  );
}

function bashScript(commands: Command[]): string {
  const cases = commands.map((command) => {
    const flags = command.flags.flatMap((f) => [`--${f.name}`, ...(f.short ? [`-${f.short}`] : [])]).join(' ');
    const taking = command.flags.filter((f) => f.takesValue).map((f) => `--${f.name}`);
    return `    ${command.name}) words=${singleQuoted(command.words.join(' '))}; flags=${singleQuoted(flags)}; taking=${singleQuoted(taking.join(' '))} ;;`;
  });
  const valueCases = Object.entries(values).map(([flag, kind]) => {
    const reply = kind === 'file' ? 'compgen -f -- "$cur"' : kind === 'dir' ? 'compgen -d -- "$cur"' : `compgen -W ${singleQuoted(kind.join(' '))} -- "$cur"`;
    return `        --${flag}) COMPREPLY=($(${reply})) ;;`;
  });
  return `# bash completion for authwatch (made by \`authwatch completion bash\`)
_authwatch() {
  local cur=\${COMP_WORDS[COMP_CWORD]} prev=\${COMP_WORDS[COMP_CWORD-1]} words='' flags='' taking=''
  if [ "$COMP_CWORD" -eq 1 ]; then
    COMPREPLY=($(compgen -W ${singleQuoted(`${commands.map((c) => c.name).join(' ')} --help --version`)} -- "$cur"))
    return
  fi
  case "\${COMP_WORDS[1]}" in
${cases.join('\n')}
    *) return ;;
  esac
  case " $taking " in
    *" $prev "*)
      case "$prev" in
${valueCases.join('\n')}
        *) COMPREPLY=() ;;
      esac
      return ;;
  esac
  if [ "$COMP_CWORD" -eq 2 ] && [ -n "$words" ] && [ "\${cur#-}" = "$cur" ]; then
    COMPREPLY=($(compgen -W "$words" -- "$cur"))
  else
    COMPREPLY=($(compgen -W "$flags" -- "$cur"))
  fi
}
complete -o default -F _authwatch authwatch
`;
}

function zshScript(commands: Command[]): string {
  const zshQuote = (text: string) => text.replace(/[[\]:\\]/g, '\\$&');
  const described = commands.map((c) => singleQuoted(`${c.name}:${c.summary.replaceAll(':', '\\:')}`)).join(' ');
  const cases = commands.map((command) => {
    const specs = command.flags.map((f) => {
      const kind = values[f.name];
      const action = !f.takesValue ? '' : kind === 'file' ? ':file:_files' : kind === 'dir' ? ':directory:_files -/' : kind ? `:${f.name}:(${kind.join(' ')})` : `:${f.name}: `;
      const names = f.short ? `(-${f.short} --${f.name})'{-${f.short},--${f.name}}'` : `--${f.name}${f.takesValue ? '=' : ''}`;
      return f.short ? `'${names}${action}'` : singleQuoted(`${names}${action}`);
    });
    const words = command.words.length > 0 ? [singleQuoted(`1:${command.name}:(${command.words.map(zshQuote).join(' ')})`)] : [];
    return `    ${command.name}) _arguments -s ${[...specs, ...words].join(' ')} ;;`;
  });
  return `#compdef authwatch
# zsh completion for authwatch (made by \`authwatch completion zsh\`)
_authwatch() {
  local -a commands
  commands=(${described})
  if (( CURRENT == 2 )); then
    _describe -t commands 'authwatch command' commands
    return
  fi
  local command=$words[2]
  shift words
  (( CURRENT-- ))
  case $command in
${cases.join('\n')}
  esac
}
if [[ $zsh_eval_context[-1] == loadautofunc ]]; then
  _authwatch "$@"
else
  compdef _authwatch authwatch
fi
`;
}

export async function completion(argv: string[], table: Readonly<Record<string, CompletionEntry>>): Promise<ExitCode> {
  const [shell, ...rest] = argv;
  if (shell === '-h' || shell === '--help') {
    writeStdout(usage);
    return ExitCode.Ok;
  }
  if ((shell !== 'bash' && shell !== 'zsh') || rest.length > 0) {
    throw new AuthwatchError(`completion: expected bash or zsh${shell === undefined ? '' : `, not ${JSON.stringify([shell, ...rest].join(' '))}`}`, { hint: 'run `authwatch completion --help`' });
  }
  const commands = await describe(table);
  writeStdout(shell === 'bash' ? bashScript(commands) : zshScript(commands));
  return ExitCode.Ok;
}
