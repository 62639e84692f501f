// SHA-256 (FIPS 180-4) in plain JavaScript, for the few fingerprints of a typical check: loading
// node:crypto costs more than hashing a handful of short secrets here (docs/performance.md).

const roundConstants = new Int32Array([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be,
  0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa,
  0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85,
  0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3,
  0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f,
  0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
]);
const initialHash = [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19];
const schedule = new Int32Array(64);

/**
 * The SHA-256 of the text's UTF-8 bytes, as 64 lowercase hex digits. Written for code V8 has
 * not optimized yet (most calls are): rotations are written out, as a signed shift and a mask
 * (x >> n & mask | x << 32 - n) — an unsigned shift gives numbers past 2^31 — and sums are cut
 * to 32 bits term by term, so the interpreter boxes (allocates) few intermediate numbers.
 */
export function sha256Hex(text: string): string {
  const bytes = Buffer.from(text, 'utf8');
  // Message, the 0x80 terminator, zero padding, then the length in bits as a 64-bit big-endian number.
  const padded = new Uint8Array((((bytes.length + 8) >> 6) + 1) << 6);
  padded.set(bytes);
  padded[bytes.length] = 0x80;
  const view = new DataView(padded.buffer);
  const bits = bytes.length * 8;
  view.setUint32(padded.length - 8, Math.floor(bits / 2 ** 32));
  view.setUint32(padded.length - 4, bits >>> 0);

  const state = Int32Array.from(initialHash);
  const w = schedule;
  const k = roundConstants;
  for (let block = 0; block < padded.length; block += 64) {
    for (let i = 0; i < 16; i++) w[i] = view.getInt32(block + i * 4);
    for (let i = 16; i < 64; i++) {
      const x = w[i - 15]!;
      const y = w[i - 2]!;
      const s0 = (((x >> 7) & 0x1ffffff) | (x << 25)) ^ (((x >> 18) & 0x3fff) | (x << 14)) ^ ((x >> 3) & 0x1fffffff);
      const s1 = (((y >> 17) & 0x7fff) | (y << 15)) ^ (((y >> 19) & 0x1fff) | (y << 13)) ^ ((y >> 10) & 0x3fffff);
      w[i] = (((((w[i - 16]! + s0) | 0) + w[i - 7]!) | 0) + s1) | 0;
    }
    let a = state[0]!;
    let b = state[1]!;
    let c = state[2]!;
    let d = state[3]!;
    let e = state[4]!;
    let f = state[5]!;
    let g = state[6]!;
    let h = state[7]!;
    for (let i = 0; i < 64; i++) {
      const sum1 = (((e >> 6) & 0x3ffffff) | (e << 26)) ^ (((e >> 11) & 0x1fffff) | (e << 21)) ^ (((e >> 25) & 0x7f) | (e << 7));
      const t1 = (((((((h + sum1) | 0) + ((e & f) ^ (~e & g))) | 0) + k[i]!) | 0) + w[i]!) | 0;
      const sum0 = (((a >> 2) & 0x3fffffff) | (a << 30)) ^ (((a >> 13) & 0x7ffff) | (a << 19)) ^ (((a >> 22) & 0x3ff) | (a << 10));
      const t2 = (sum0 + ((a & b) ^ (a & c) ^ (b & c))) | 0;
      h = g;
      g = f;
      f = e;
      e = (d + t1) | 0;
      d = c;
      c = b;
      b = a;
      a = (t1 + t2) | 0;
    }
    state[0] = (state[0]! + a) | 0;
    state[1] = (state[1]! + b) | 0;
    state[2] = (state[2]! + c) | 0;
    state[3] = (state[3]! + d) | 0;
    state[4] = (state[4]! + e) | 0;
    state[5] = (state[5]! + f) | 0;
    state[6] = (state[6]! + g) | 0;
    state[7] = (state[7]! + h) | 0;
  }
  let hex = '';
  for (let i = 0; i < 8; i++) hex += (state[i]! >>> 0).toString(16).padStart(8, '0');
  return hex;
}
