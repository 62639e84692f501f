import { fingerprint } from './fingerprint.js';
import { looksLikeToken } from './quote-argument.js';

/**
 * The one scrubber: every text that leaves the process (stderr, stdout, log lines, delivery
 * errors kept in the alert state) passes through `scrub`. It knows every secret this run
 * handled — registered where it was read — and, for secrets it was never told about (a
 * receiver echoing something back), the shapes credentials come in.
 */

/** What a secret becomes in text. */
const hidden = '…';

/** Shorter strings would mostly hit ordinary words; a secret that short is no secret anyway. */
const minSecretLength = 6;
/** A URL path segment this long is a token (Discord/Slack-style webhook URLs), not a word like `hook`. */
const minPathSecretLength = 16;
/** Query values shorter than this (`json`, `1`) are settings; the key=… pattern covers short keys. */
const minQuerySecretLength = 8;

const secrets = new Set<string>();
let matcher: RegExp | null = null;

/** Remembers a secret for the rest of the process, with the forms it is sent in (base64, URL-escaped). */
export function registerSecret(value: string | undefined | null): void {
  if (!value || value.length < minSecretLength) return;
  for (const form of [value, Buffer.from(value).toString('base64'), encodeURIComponent(value), JSON.stringify(value).slice(1, -1)]) {
    if (form.length >= minSecretLength && !secrets.has(form)) {
      secrets.add(form);
      matcher = null;
    }
  }
}

/**
 * A name read from a store that may hold a pasted secret (a key given as the profile id,
 * `anthropic:sk-ant-…`): the part after `provider:` is a secret when it looks like a token.
 */
export function registerIfTokenLike(name: string): void {
  const part = name.slice(name.indexOf(':') + 1);
  if (part.length >= minPathSecretLength && looksLikeToken(part)) registerSecret(part);
}

/** A name as files keep it: itself, or its fingerprint when it holds a secret. */
export function nameForFiles(name: string): string {
  return secrets.size === 0 || scrub(name) === name ? name : `(fingerprint ${fingerprint(name)})`;
}

/** The secret parts of a URL: userinfo, long path segments (tokens in the path), query values. */
export function registerUrlSecrets(url: string | URL): void {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return;
  }
  for (const piece of [parsed.username, parsed.password]) {
    registerSecret(piece);
    registerSecret(decodeLeniently(piece));
  }
  if (parsed.username || parsed.password) registerSecret(`${decodeLeniently(parsed.username)}:${decodeLeniently(parsed.password)}`);
  for (const segment of parsed.pathname.split('/')) if (segment.length >= minPathSecretLength) registerSecret(decodeLeniently(segment));
  for (const [, value] of parsed.searchParams) if (value.length >= minQuerySecretLength) registerSecret(value);
  if (parsed.search.length > minQuerySecretLength) registerSecret(parsed.search.slice(1));
}

/**
 * A URL the user configured for requests (a live check's `baseUrl` through a proxy): any part of
 * it may be a token, and a failing fetch or a proxy's error page may quote it whole. So besides
 * the parts above: the URL itself, its path, and every path segment that is not a plain word
 * (`v1`, `openai` stay readable). Registered before any request is made.
 */
export function registerConfiguredUrl(url: string): void {
  registerUrlSecrets(url);
  registerSecret(url);
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return;
  }
  const path = parsed.pathname.replace(/\/+$/, '');
  for (const piece of [path, `${path}${parsed.search}`, ...path.split('/').filter((segment) => !plainWord.test(segment))]) {
    registerSecret(piece);
    registerSecret(decodeLeniently(piece));
  }
}

const plainWord = /^(?:[a-z]+(?:[-_.][a-z]+)*|v\d+(?:alpha|beta)?\d*)$/;

/** `p%40ss` → `p@ss`; a stray `%` (not valid escaping) is taken literally. */
export function decodeLeniently(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** A parameter name that says its value is a secret, ending where its `=` is. */
const secretKey = /(?:^|[?&;\s"'])[\w.-]*(?:token|key|secret|password|passwd|signature|sig|auth|credential)[\w.-]*$/i;

/**
 * Credentials in the shapes they travel in, wherever they come from. Each pattern starts on
 * something rare (`Bearer`, `://`, `=`) so a large table or JSON document is scanned quickly.
 */
const patterns: [RegExp, (match: string, ...groups: never[]) => string][] = [
  // Authorization header values, quoted or echoed: `Bearer abc…`, `Basic dXNlcjpw…` (not the
  // words in "Basic authentication")
  [/(Bearer|Basic)(\s+)([A-Za-z0-9._~+/=-]{4,})/gi, (match, scheme: string, space: string, value: string) => (/^[A-Z]?[a-z]+$/.test(value) ? match : `${scheme}${space}${hidden}`)],
  // URL userinfo: `https://user:password@host`
  [/:\/\/[^\s/?#@"'<>]+@/g, () => `://${hidden}@`],
  // Secret-looking query or form parameters: `?token=…`, `&api_key=…`, `password=…`
  [/=[^&\s#"'<>=]+/g, (match, offset: number, whole: string) => (secretKey.test(whole.slice(Math.max(0, offset - 64), offset)) ? `=${hidden}` : match)],
];

/** `text` with every registered secret and every credential-shaped piece replaced by `…`. */
export function scrub(text: string): string {
  let result = text;
  if (secrets.size > 0) {
    // Longest first: a secret that contains another is hidden whole.
    matcher ??= new RegExp([...secrets].sort((a, b) => b.length - a.length).map(escapeRegExp).join('|'), 'g');
    result = result.replace(matcher, hidden);
  }
  for (const [pattern, replacement] of patterns) result = result.replace(pattern, replacement as (match: string, ...rest: unknown[]) => string);
  return result;
}

/** Text that was cut off (a deadline, a size limit) without the start of a secret it may end in. */
export function withoutCutSecret(text: string): string {
  for (const secret of secrets) {
    for (let length = Math.min(secret.length - 1, text.length); length >= 3; length--) {
      if (text.endsWith(secret.slice(0, length))) return `${text.slice(0, -length)}${hidden}`;
    }
  }
  return text;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * A URL as messages show it: scheme and host only, `/…` standing for any path or query (a
 * webhook URL may carry its secret in either), never userinfo.
 */
export function urlForMessages(url: string | URL): string {
  try {
    const parsed = new URL(url);
    const more = (parsed.pathname !== '/' && parsed.pathname !== '') || parsed.search ? '/…' : '';
    return `${parsed.protocol}//${parsed.host}${more}`;
  } catch {
    return '(invalid URL)';
  }
}
