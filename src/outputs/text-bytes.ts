const space = 0x20;

/**
 * UTF-8 text written straight into a byte buffer, character by character, for the outputs
 * made of many small pieces. A 10,000-profile table built as strings (a padded copy of each
 * cell, a line per row, the whole text flattened for the write) was ≈ 18 MB of garbage for
 * ≈ 1.5 MB of output; the buffer lives outside the JavaScript heap and is written as it is.
 */
export class TextBytes {
  private bytes: Buffer;
  private end = 0;
  private lineStart = 0;

  constructor(expectedBytes = 16 * 1024) {
    this.bytes = Buffer.allocUnsafe(expectedBytes);
  }

  /** Writes `text`, then spaces up to `padTo` UTF-16 units (as padEnd counts them). */
  write(text: string, padTo = 0): void {
    const { length } = text;
    // A UTF-16 unit is at most 3 bytes of UTF-8.
    if (this.end + length * 3 + padTo > this.bytes.length) this.grow(length * 3 + padTo);
    const { bytes } = this;
    let at = this.end;
    let index = 0;
    for (; index < length; index++) {
      const code = text.charCodeAt(index);
      if (code >= 0x80) break;
      bytes[at++] = code;
    }
    if (index < length) at += bytes.write(text.slice(index), at);
    for (let column = length; column < padTo; column++) bytes[at++] = space;
    this.end = at;
  }

  /** Ends the line, without the spaces at its end. */
  endLine(): void {
    while (this.end > this.lineStart && this.bytes[this.end - 1] === space) this.end--;
    this.write('\n');
    this.lineStart = this.end;
  }

  result(): Buffer {
    return this.bytes.subarray(0, this.end);
  }

  private grow(count: number): void {
    const larger = Buffer.allocUnsafe(Math.max(this.bytes.length * 2, this.end + count));
    this.bytes.copy(larger, 0, 0, this.end);
    this.bytes = larger;
  }
}
