const linePattern = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_.]*)\s*=\s*(.*?)\s*$/;

function unquote(raw: string): string {
  const quote = raw[0];
  if ((quote === '"' || quote === "'" || quote === '`') && raw.length >= 2) {
    const end = raw.indexOf(quote, 1);
    if (end > 0) {
      const inner = raw.slice(1, end);
      return quote === '"' ? inner.replace(/\\n/g, '\n').replace(/\\r/g, '\r').replace(/\\"/g, '"') : inner;
    }
  }
  // Unquoted: a ` #` starts a comment.
  const comment = raw.search(/\s#/);
  return (comment >= 0 ? raw.slice(0, comment) : raw).trim();
}

/**
 * Parses dotenv text (`KEY=value`, `export KEY=value`, quotes, `#` comments) the way the
 * `dotenv` package that OpenClaw uses does for single-line values. Lines that are not
 * assignments are skipped, as dotenv does.
 */
export function parseDotenv(text: string): Map<string, string> {
  const values = new Map<string, string>();
  for (const line of text.split(/\r?\n/)) {
    if (/^\s*(#|$)/.test(line)) continue;
    const match = linePattern.exec(line);
    if (match) values.set(match[1]!, unquote(match[2]!));
  }
  return values;
}
