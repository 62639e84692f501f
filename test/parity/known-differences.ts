/**
 * Homes on which `authwatch check --policy openclaw` still exits differently from the real
 * `openclaw models status --check`, each with why. The parity test asserts that exactly these
 * homes differ: a fix that makes one agree, or a change that makes another differ, fails it
 * by name. Empty: on OpenClaw 2026.9.6 every home of homes.ts agrees.
 */
export const knownDifferences: Readonly<Record<string, string>> = {};
