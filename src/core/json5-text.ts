type Json5Parse = { ok: true; value: unknown } | { ok: false; message: string };

/**
 * JSON5.parse with a message that gives the position but never quotes the input. json5 is
 * loaded here, on first use: a run with no config file and no openclaw.json never needs it.
 */
export async function parseJson5Text(text: string): Promise<Json5Parse> {
  const { default: JSON5 } = await import('json5');
  try {
    return { ok: true, value: JSON5.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text) };
  } catch (error) {
    const { lineNumber, columnNumber } = error as { lineNumber?: number; columnNumber?: number };
    const where = lineNumber ? ` (syntax error at line ${lineNumber}, column ${columnNumber ?? 0})` : '';
    return { ok: false, message: `not valid JSON5${where}` };
  }
}
