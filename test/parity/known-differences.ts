/**
 * Homes on which `authwatch check --policy openclaw` still exits differently from the real
 * `openclaw models status --check`, each with why. The parity test asserts that exactly these
 * homes differ: a fix that makes one agree, or a change that makes another differ, fails it.
 */
export const knownDifferences: Readonly<Record<string, string>> = {
  'store-row-legacy-shapes':
    'OpenClaw normalises legacy entry shapes on load (mode as type, type apiKey, a secret object as a ref); authwatch reads only the current shapes, so those routes are unavailable (1, OpenClaw 2)',
};
