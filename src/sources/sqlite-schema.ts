/**
 * Reads the columns of a table from its `CREATE TABLE` text as SQLite stored it (as written,
 * comments included), by SQLite's own tokenizer rules. Only what decoding a row needs is kept:
 * each column's name, whether it is the rowid, where it sits in the record (VIRTUAL generated
 * columns are not stored), and the default a row written before `ALTER TABLE … ADD COLUMN`
 * reads as. What cannot be told for sure is kept as a reason, so the lookup fails loudly.
 */

export interface Column {
  name: string;
  /** Index in the stored record; null for a VIRTUAL generated column (computed, not stored). */
  stored: number | null;
  rowid: boolean;
  /** REAL affinity: SQLite stores an integral real as an integer and reads it back as a real. */
  real: boolean;
  /** The declared collation (BINARY unless said): a key in another one is not matched byte for byte. */
  collation: string;
  /** The value of a row whose record ends before this column (added later by ALTER TABLE). */
  missing: { value: unknown } | { unknown: string };
}

export type TableShape = { ok: true; columns: Column[] } | { ok: false; message: string };

type Token = { kind: 'id' | 'string' | 'number' | 'blob' | 'punct'; text: string; quoted?: true };

/** SQL identifiers compare case-insensitively in ASCII only (as sqlite3StrICmp does). */
export function foldName(name: string): string {
  return name.replace(/[A-Z]+/g, (upper) => upper.toLowerCase());
}

const isIdChar = (char: string) => /[A-Za-z0-9_$]/.test(char) || char.charCodeAt(0) >= 0x80;

/** SQLite's tokenizer, minus operators we never need to tell apart; whitespace and comments are dropped. */
function tokenize(sql: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const quoted = (close: string, doubled: boolean) => {
    let text = '';
    for (i++; i < sql.length; i++) {
      if (sql[i] === close) {
        if (doubled && sql[i + 1] === close) {
          text += close;
          i++;
          continue;
        }
        i++;
        return text;
      }
      text += sql[i];
    }
    throw new Error('an unterminated quote');
  };
  while (i < sql.length) {
    const char = sql[i]!;
    if (/\s/.test(char)) i++;
    else if (sql.startsWith('--', i)) {
      const end = sql.indexOf('\n', i);
      i = end < 0 ? sql.length : end + 1;
    } else if (sql.startsWith('/*', i)) {
      const end = sql.indexOf('*/', i + 2);
      i = end < 0 ? sql.length : end + 2;
    } else if (char === "'") tokens.push({ kind: 'string', text: quoted("'", true) });
    else if (char === '"') tokens.push({ kind: 'id', text: quoted('"', true), quoted: true });
    else if (char === '`') tokens.push({ kind: 'id', text: quoted('`', true), quoted: true });
    else if (char === '[') tokens.push({ kind: 'id', text: quoted(']', false), quoted: true });
    else if (/[xX]/.test(char) && sql[i + 1] === "'") {
      i++;
      const hex = quoted("'", false);
      if (!/^(?:[0-9a-fA-F]{2})*$/.test(hex)) throw new Error('a malformed blob literal');
      tokens.push({ kind: 'blob', text: hex });
    } else if (/[0-9]/.test(char) || (char === '.' && /[0-9]/.test(sql[i + 1] ?? ''))) {
      const match = /^(?:0[xX][0-9a-fA-F_]+|(?:[0-9_]+(?:\.[0-9_]*)?|\.[0-9_]+)(?:[eE][+-]?[0-9_]+)?)/.exec(sql.slice(i))!;
      tokens.push({ kind: 'number', text: match[0] });
      i += match[0].length;
    } else if (isIdChar(char)) {
      let end = i;
      while (end < sql.length && isIdChar(sql[end]!)) end++;
      tokens.push({ kind: 'id', text: sql.slice(i, end) });
      i = end;
    } else if (/[?:@$#]/.test(char)) throw new Error('a bound parameter');
    else {
      const two = sql.slice(i, i + 2);
      const text = ['||', '<=', '>=', '==', '!=', '<>', '<<', '>>', '->'].includes(two) ? two : char;
      tokens.push({ kind: 'punct', text });
      i += text.length;
    }
  }
  return tokens;
}

const bare = (token: Token | undefined, ...words: string[]) => token?.kind === 'id' && !token.quoted && words.includes(token.text.toUpperCase());
const isPunct = (token: Token | undefined, text: string) => token?.kind === 'punct' && token.text === text;

/** Splits `tokens` at top-level commas, up to the parenthesis closing the list that starts at `from`. */
function topLevelList(tokens: Token[], from: number): { items: Token[][]; end: number } {
  const items: Token[][] = [[]];
  let depth = 0;
  for (let i = from; i < tokens.length; i++) {
    const token = tokens[i]!;
    if (isPunct(token, '(')) depth++;
    else if (isPunct(token, ')')) {
      if (depth === 0) return { items, end: i };
      depth--;
    } else if (isPunct(token, ',') && depth === 0) {
      items.push([]);
      continue;
    }
    items.at(-1)!.push(token);
  }
  throw new Error('an unclosed parenthesis');
}

/** Keywords that end a column's type name and begin a constraint. */
const constraintWords = ['CONSTRAINT', 'PRIMARY', 'NOT', 'NULL', 'UNIQUE', 'CHECK', 'DEFAULT', 'COLLATE', 'REFERENCES', 'GENERATED', 'AS', 'ON', 'AUTOINCREMENT'];
const tableConstraintWords = ['CONSTRAINT', 'PRIMARY', 'UNIQUE', 'CHECK', 'FOREIGN'];

type Affinity = 'integer' | 'text' | 'blob' | 'real' | 'numeric';

/** SQLite's rules (datatype3.html, 3.1) for a declared type's affinity. */
function affinityOf(type: string): Affinity {
  const upper = type.toUpperCase();
  if (upper.includes('INT')) return 'integer';
  if (/CHAR|CLOB|TEXT/.test(upper)) return 'text';
  if (upper.includes('BLOB') || upper === '') return 'blob';
  if (/REAL|FLOA|DOUB/.test(upper)) return 'real';
  return 'numeric';
}

const numericText = /^\s*[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?\s*$/;
const int64 = (value: bigint) => value >= -(2n ** 63n) && value < 2n ** 63n;

/** A number from text as SQLite's numeric affinity reads it: an integer when it is one that fits 64 bits, exact beyond 2^53. */
function numeric(text: string): unknown {
  const trimmed = text.trim();
  if (/^[+-]?\d+$/.test(trimmed) && int64(BigInt(trimmed))) return safeInteger(BigInt(trimmed));
  return Number(trimmed);
}

function safeInteger(value: bigint): number | bigint {
  return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : value;
}

type Literal = { value: unknown } | { unknown: string };

/**
 * The default literal (or null) as SQLite evaluates it for a row stored before the column was
 * added (sqlite3ValueFromExpr): an integer literal that fits 32 bits is an integer; any other
 * number is its text as written (sign included) put through the column's affinity, a string
 * too; TRUE and FALSE are 1 and 0 and blobs stay blobs, whatever the affinity.
 */
function defaultValue(tokens: Token[], affinity: Affinity): Literal {
  const signed = isPunct(tokens[0], '-') || isPunct(tokens[0], '+');
  const negative = isPunct(tokens[0], '-');
  const token = tokens[signed ? 1 : 0];
  if (!token || tokens.length > (signed ? 2 : 1)) return { unknown: 'a default that is not a plain literal' };
  if (token.kind === 'number') {
    const text = token.text.replaceAll('_', '');
    if (/^(?:\d+|0[xX][0-9a-fA-F]+)$/.test(text) && BigInt(text) <= 2n ** 31n - 1n) {
      const value = Number(BigInt(text)) * (negative ? -1 : 1);
      return { value: affinity === 'text' ? String(value) : value };
    }
    if (/^0[xX]/.test(text)) return { unknown: `a hexadecimal default beyond 32 bits (${token.text})` };
    return withAffinity(`${negative ? '-' : ''}${text}`, affinity === 'blob' ? 'numeric' : affinity);
  }
  if (signed) return { unknown: 'a signed default that is not a number' };
  if (token.kind === 'string') return withAffinity(token.text, affinity);
  if (token.kind === 'blob') return { value: Uint8Array.from(Buffer.from(token.text, 'hex')) };
  if (bare(token, 'NULL')) return { value: null };
  if (bare(token, 'TRUE')) return { value: 1 };
  if (bare(token, 'FALSE')) return { value: 0 };
  // A bare word is a string (parse.y: DEFAULT ID); a quoted identifier is left to SQLite.
  if (bare(token, 'CURRENT_TIME', 'CURRENT_DATE', 'CURRENT_TIMESTAMP')) return { unknown: `a default of ${token.text.toUpperCase()}` };
  if (token.kind === 'id' && !token.quoted && /^[A-Za-z_][A-Za-z0-9_$]*$/.test(token.text)) return withAffinity(token.text, affinity);
  return { unknown: 'a default that is not a plain literal' };
}

/** Text put through a column's affinity, as SQLite stores a value. */
function withAffinity(text: string, affinity: Affinity): Literal {
  if (affinity === 'real' && numericText.test(text)) return { value: Number(text) };
  if ((affinity === 'integer' || affinity === 'numeric') && numericText.test(text)) return { value: numeric(text) };
  return { value: text };
}

/** The columns of a table, from its stored `CREATE TABLE` text. */
export function tableShape(sql: string): TableShape {
  try {
    return { ok: true, columns: columnsOf(tokenize(sql)) };
  } catch (error) {
    return { ok: false, message: `its CREATE TABLE statement could not be read (${(error as Error).message})` };
  }
}

function columnsOf(tokens: Token[]): Column[] {
  const open = tokens.findIndex((token) => isPunct(token, '('));
  if (open < 0 || !bare(tokens[0], 'CREATE')) throw new Error('no column list');
  const { items, end } = topLevelList(tokens, open + 1);
  const options = tokens.slice(end + 1).filter((token) => !isPunct(token, ','));
  if (options.some((token) => bare(token, 'WITHOUT'))) throw new Error('a WITHOUT ROWID table');
  if (!options.every((token) => bare(token, 'STRICT'))) throw new Error(`unknown table options`);
  const columns: Column[] = [];
  const types: string[] = [];
  let stored = 0;
  let primaryKey: { name: string } | null = null;
  for (const item of items) {
    if (item.length === 0) throw new Error('an empty column definition');
    if (bare(item[0], ...tableConstraintWords)) {
      const at = item.findIndex((token) => bare(token, 'PRIMARY'));
      if (at >= 0 && bare(item[at + 1], 'KEY') && isPunct(item[at + 2], '(')) {
        const list = topLevelList(item, at + 3).items;
        const first = list.length === 1 ? list[0]![0] : undefined;
        if (first?.kind === 'id' || first?.kind === 'string') primaryKey = { name: first.text };
      }
      continue;
    }
    const name = item[0]!;
    if (name.kind !== 'id' && name.kind !== 'string') throw new Error('a column without a name');
    let at = 1;
    const typeWords: string[] = [];
    while (at < item.length && !bare(item[at], ...constraintWords)) {
      const token = item[at]!;
      if (isPunct(token, '(')) {
        const list = topLevelList(item, at + 1);
        typeWords.push(`(${list.items.map((part) => part.map((t) => t.text).join('')).join(',')})`);
        at = list.end + 1;
        continue;
      }
      if (token.kind !== 'id' && token.kind !== 'string') throw new Error(`an unexpected "${token.text}" in column ${name.text}`);
      typeWords.push(token.text); // dequoted, as SQLite reads a type ("INTEGER" is INTEGER)
      at++;
    }
    const type = typeWords.join(' ');
    const affinity = affinityOf(type);
    let rowid = false;
    let generated: 'virtual' | 'stored' | null = null;
    let missing: Column['missing'] = { value: null };
    let collation = 'BINARY';
    while (at < item.length) {
      const token = item[at]!;
      if (bare(token, 'PRIMARY') && bare(item[at + 1], 'KEY')) {
        rowid = type.toUpperCase() === 'INTEGER' && !bare(item[at + 2], 'DESC');
        at += 2;
      } else if (bare(token, 'DEFAULT') && !bare(item[at - 1], 'SET')) {
        const value = item[at + 1];
        if (isPunct(value, '(')) {
          const list = topLevelList(item, at + 2);
          missing = { unknown: 'an expression as its default' };
          at = list.end + 1;
        } else {
          const signed = isPunct(value, '-') || isPunct(value, '+') ? 2 : 1;
          missing = defaultValue(item.slice(at + 1, at + 1 + signed), affinity);
          at += 1 + signed;
        }
      } else if (bare(token, 'GENERATED') || bare(token, 'AS')) {
        const as = item.findIndex((t, i) => i >= at && bare(t, 'AS'));
        if (as < 0 || !isPunct(item[as + 1], '(')) throw new Error(`a generated column ${name.text} without an expression`);
        const list = topLevelList(item, as + 2);
        at = list.end + 1;
        generated = bare(item[at], 'STORED') ? 'stored' : 'virtual';
        if (bare(item[at], 'STORED', 'VIRTUAL')) at++;
      } else if (bare(token, 'COLLATE') && item[at + 1]?.kind === 'id') {
        collation = item[at + 1]!.text.toUpperCase();
        at += 2;
      } else if (isPunct(token, '(')) {
        at = topLevelList(item, at + 1).end + 1;
      } else at++;
    }
    types.push(type);
    columns.push({ name: name.text, stored: generated === 'virtual' ? null : stored++, rowid, real: affinity === 'real', collation, missing });
  }
  if (primaryKey) {
    const index = columns.findIndex((column) => foldName(column.name) === foldName(primaryKey!.name));
    if (index >= 0 && /^integer$/i.test(types[index]!) && columns[index]!.stored !== null) columns[index]!.rowid = true;
  }
  return columns;
}
