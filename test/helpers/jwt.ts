/** An unsigned JWT with the given payload: enough for a reader that never verifies. */
export function fakeJwt(payload: Record<string, unknown>, signature = 'signature'): string {
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${part({ alg: 'none' })}.${part(payload)}.${signature}`;
}
