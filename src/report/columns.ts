/** A growable typed-array column: the timeline keeps a million ops in a few flat buffers, not objects. */
type TypedCtor<T> = { new (n: number): T };
export class Column<T extends Float64Array | Float32Array | Uint32Array | Uint16Array | Uint8Array> {
  private buf: T;
  length = 0;
  constructor(
    private readonly ctor: TypedCtor<T>,
    initial = 1024,
  ) {
    this.buf = new ctor(initial);
  }
  push(v: number): number {
    if (this.length === this.buf.length) {
      const next = new this.ctor(this.buf.length * 2);
      next.set(this.buf as never);
      this.buf = next;
    }
    this.buf[this.length] = v;
    return this.length++;
  }
  set(i: number, v: number): void {
    this.buf[i] = v;
  }
  get(i: number): number {
    return this.buf[i]!;
  }
  /** The filled part (a view, no copy). */
  view(): T {
    return this.buf.subarray(0, this.length) as T;
  }
}

/** Little-endian bytes of a typed array as base64 (browsers decode it with atob into the same array type). */
export function toBase64(a: Float64Array | Float32Array | Uint32Array | Uint16Array | Uint8Array): string {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('base64');
}

/** Codes for a small set of strings (f names, nodes): index into `names`; past `max` they share the last code. */
export class Dictionary {
  readonly names: string[] = [];
  private readonly codes = new Map<string, number>();
  constructor(
    private readonly max: number,
    private readonly overflow = '(other)',
    first?: string,
  ) {
    if (first !== undefined) this.code(first);
  }
  code(s: string): number {
    const c = this.codes.get(s);
    if (c !== undefined) return c;
    if (this.names.length === this.max - 1) {
      this.names.push(this.overflow);
      this.codes.set(this.overflow, this.max - 1);
    }
    if (this.names.length >= this.max) return this.max - 1;
    this.codes.set(s, this.names.length);
    this.names.push(s);
    return this.names.length - 1;
  }
}
