/**
 * A short, stable identifier for a secret: the first 8 hex digits of its SHA-256. Enough to
 * tell two tokens apart in a report, useless for recovering the token. node:crypto is loaded
 * on the first call, not with the program (see lazyFingerprint).
 */
export function fingerprint(secret: string): string {
  return process.getBuiltinModule('node:crypto').hash('sha256', secret, 'hex').slice(0, 8);
}

/** A credential's fingerprint, as a profile carries it. */
export interface Fingerprint {
  readonly hex: string;
}

/**
 * A fingerprint worked out when first read. Only `--json`, alerts and the credential memory
 * read one, so a check that prints the table never loads node:crypto, which with the streams
 * it brings is about a tenth of a typical check (paired runs in docs/performance.md). Until
 * then the secret waits in the closure, as it does in the scrubber's list: no enumerable
 * property, so nothing that serialises or inspects a profile reaches it.
 */
export function lazyFingerprint(secret: string): Fingerprint {
  let hex: string | undefined;
  return {
    get hex() {
      return (hex ??= fingerprint(secret));
    },
  };
}
