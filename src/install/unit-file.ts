/**
 * Reading a systemd unit file by systemd's own rules (systemd.syntax(7), systemd.exec(5)):
 * `#`/`;` comments, a trailing `\` continues the line (comment lines inside are skipped),
 * sections, and Environment='s words — `'…'`/`"…"` quotes anywhere in a word, C escapes,
 * `%%` — an empty `Environment=` clearing the list. What cannot be read the way systemd
 * would (an unterminated quote, an unknown escape, a specifier that depends on the host, an
 * EnvironmentFile= this does not open) is a problem naming its line, never silently dropped.
 */
interface UnitEnvironment {
  values: Map<string, string>;
  /** `variable` when the problem is known to concern that one variable alone. */
  problems: { message: string; variable?: string }[];
}

interface Directive {
  section: string;
  key: string;
  value: string;
  line: number;
}

/** The `Key=Value` lines of a unit, continuations joined, with the number of the line each began on. */
function unitDirectives(text: string): Directive[] {
  const directives: Directive[] = [];
  let section = '';
  let pending: { text: string; line: number } | null = null;
  // A continuation still open at the end of the file is read as it stands, as systemd does.
  const lines = [...text.split(/\r\n|\r|\n/), ''];
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!;
    const trimmed = raw.trim();
    if (/^[#;]/.test(trimmed)) continue; // a comment, also inside a continuation
    const joined: { text: string; line: number } = pending ? { text: `${pending.text} ${raw}`, line: pending.line } : { text: raw, line: i + 1 };
    if (joined.text.endsWith('\\') && i < lines.length - 1) {
      pending = { text: joined.text.slice(0, -1), line: joined.line };
      continue;
    }
    pending = null;
    const line = joined.text.trim();
    if (line === '') continue;
    if (line.startsWith('[') && line.endsWith(']')) {
      section = line.slice(1, -1);
      continue;
    }
    const eq = line.indexOf('=');
    if (eq < 0) continue; // systemd ignores it with a warning; it holds no setting
    directives.push({ section, key: line.slice(0, eq).trim(), value: line.slice(eq + 1).trim(), line: joined.line });
  }
  return directives;
}

const simpleEscapes: Record<string, string> = { a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '\\': '\\', '"': '"', "'": "'", s: ' ' };

/** One C escape after a backslash at `text[at]` (systemd's cunescape_one): the character and its length, or null. */
function unescapeOne(text: string, at: number): { char: string; length: number } | null {
  const c = text[at];
  if (c === undefined) return null;
  if (simpleEscapes[c] !== undefined) return { char: simpleEscapes[c], length: 1 };
  const hex = (digits: number) => {
    const code = text.slice(at + 1, at + 1 + digits);
    return new RegExp(`^[0-9a-fA-F]{${digits}}$`).test(code) && Number.parseInt(code, 16) !== 0 ? { char: String.fromCodePoint(Number.parseInt(code, 16)), length: digits + 1 } : null;
  };
  if (c === 'x') return hex(2);
  if (c === 'u') return hex(4);
  if (c === 'U') return hex(8);
  const octal = text.slice(at, at + 3);
  if (/^[0-3][0-7]{2}$/.test(octal) && octal !== '000') return { char: String.fromCharCode(Number.parseInt(octal, 8)), length: 3 };
  return null;
}

/** Environment='s value as systemd splits it (extract_first_word with UNQUOTE and CUNESCAPE), or why it cannot be. */
function environmentWords(value: string): { words: string[] } | { problem: string } {
  const words: string[] = [];
  let i = 0;
  while (i < value.length) {
    while (i < value.length && /\s/.test(value[i]!)) i++;
    if (i >= value.length) break;
    let word = '';
    let quote: string | null = null;
    for (; i < value.length; i++) {
      const c = value[i]!;
      if (quote === null && /\s/.test(c)) break;
      if (c === '\\') {
        const escape = unescapeOne(value, i + 1);
        if (!escape) return { problem: `an escape systemd does not know (\\${value[i + 1] ?? ' at the end'})` };
        word += escape.char;
        i += escape.length;
      } else if (quote !== null && c === quote) quote = null;
      else if (quote === null && (c === '"' || c === "'")) quote = c;
      else word += c;
    }
    if (quote !== null) return { problem: `a ${quote === '"' ? 'double' : 'single'} quote that is never closed` };
    words.push(word);
  }
  return { words };
}

/** `%%` → `%`; any other specifier (%h, %u, %i…) depends on the host or the instance: not guessed. */
function expandSpecifiers(word: string): { text: string } | { problem: string } {
  const other = /%(.|$)/.exec(word.replace(/%%/g, ''));
  if (other) return { problem: `the specifier %${other[1]}, which depends on where and how systemd runs it` };
  return { text: word.replace(/%%/g, '%') };
}

/** The environment the unit's service gets from its Environment= lines, and what could not be read. */
export function readUnitEnvironment(text: string): UnitEnvironment {
  const values = new Map<string, string>();
  const problems: UnitEnvironment['problems'] = [];
  for (const directive of unitDirectives(text)) {
    if (directive.section !== 'Service') continue;
    if (directive.key === 'EnvironmentFile') {
      problems.push({ message: `line ${directive.line}: EnvironmentFile=${directive.value} may hold settings, and this does not read it` });
      continue;
    }
    if (directive.key !== 'Environment') continue;
    if (directive.value === '') {
      values.clear();
      continue;
    }
    const split = environmentWords(directive.value);
    if ('problem' in split) {
      problems.push({ message: `line ${directive.line}: Environment= has ${split.problem}` });
      continue;
    }
    for (const word of split.words) {
      const eq = word.indexOf('=');
      if (eq <= 0) {
        problems.push({ message: `line ${directive.line}: Environment= holds a word that is not NAME=value` });
        continue;
      }
      const variable = word.slice(0, eq);
      const expanded = expandSpecifiers(word.slice(eq + 1));
      if ('problem' in expanded) problems.push({ message: `line ${directive.line}: ${variable} uses ${expanded.problem}`, variable });
      else values.set(variable, expanded.text);
    }
  }
  return { values, problems };
}
