import { HistoryError } from './errors.js';
import { canonInt, intFromDigits, numberFromText, stringifyExact } from './exact.js';

/**
 * Our own EDN reader: it keeps the line of every top-level form (and of every element of a
 * top-level vector or list, where Knossos puts its ops), and it is a single pass over char codes.
 * Keywords and symbols become strings without the colon, lists and sets arrays, maps plain
 * objects (non-string keys stringified), nil null, tagged literals their value. Integers are exact,
 * as in every format (exact.ts): a number when safe, a bigint beyond 2^53 (42N, 0x..., 36r...).
 */
export type EdnValue = null | boolean | number | bigint | string | EdnValue[] | { [key: string]: EdnValue };

export interface EdnForm {
  value: EdnValue;
  /** 1-based line where the form starts. */
  line: number;
  /** For a top-level vector or list: the 1-based start line of each element. */
  itemLines?: number[];
}

/** Parses a whole text into its top-level forms. Throws HistoryError(file, line, 'parse'). */
export function parseEdn(text: string, file = '<edn>', onUnknownTag?: (tag: string, line: number) => void): EdnForm[] {
  return new EdnReader(text, file, onUnknownTag).readAll();
}

/** Parses a text holding exactly one form (comments and whitespace aside). */
export function parseEdnValue(text: string, file = '<edn>'): EdnValue {
  const forms = parseEdn(text, file);
  if (forms.length !== 1) {
    throw new HistoryError(`expected one EDN form, found ${forms.length}`, file, forms[1]?.line ?? 1, 'parse');
  }
  return forms[0]!.value;
}

// Character classes for the 0..127 range: 1 whitespace (commas included), 2 other delimiter.
const CLASS = new Uint8Array(128);
for (const c of [' ', '\t', '\n', '\r', '\f', '\v', ',']) CLASS[c.charCodeAt(0)] = 1;
for (const c of ['(', ')', '[', ']', '{', '}', '"', ';']) CLASS[c.charCodeAt(0)] = 2;

const NL = 10,
  QUOTE = 34,
  HASH = 35,
  LPAREN = 40,
  RPAREN = 41,
  COLON = 58,
  SEMI = 59;
const LBRACKET = 91,
  BACKSLASH = 92,
  RBRACKET = 93,
  LBRACE = 123,
  RBRACE = 125,
  UNDERSCORE = 95;

const CHAR_NAMES: Record<string, string> = {
  newline: '\n',
  space: ' ',
  tab: '\t',
  return: '\r',
  backspace: '\b',
  formfeed: '\f',
};
const STRING_ESCAPES: Record<string, string> = {
  '"': '"',
  '\\': '\\',
  '/': '/',
  n: '\n',
  t: '\t',
  r: '\r',
  b: '\b',
  f: '\f',
};
const CLOSER_NAME: Record<number, string> = { [RPAREN]: ')', [RBRACKET]: ']', [RBRACE]: '}' };

/** EDN's built-in tags and Clojure record literals (#jepsen.history.Op{...}): read as their value, silently. */
const KNOWN_TAG = /^(inst|uuid|[A-Za-z_][\w-]*(\.[\w-]+)*\.[A-Z][\w$]*)$/;

const INT_RE = /^[+-]?\d+N?$/;
const FLOAT_RE = /^[+-]?\d+(\.\d*)?([eE][+-]?\d+)?M?$/;
const RATIO_RE = /^([+-]?\d+)\/(\d+)$/;
const HEX_RE = /^([+-]?)0[xX]([0-9a-fA-F]+)N?$/;
const RADIX_RE = /^([+-]?)(\d\d?)[rR]([0-9a-zA-Z]+)$/;

class EdnReader {
  private i = 0;
  private line = 1;
  private readonly n: number;

  constructor(
    private readonly s: string,
    private readonly file: string,
    private readonly onUnknownTag?: (tag: string, line: number) => void,
  ) {
    this.n = s.length;
    if (s.charCodeAt(0) === 0xfeff) this.i = 1; // byte order mark
  }

  readAll(): EdnForm[] {
    const forms: EdnForm[] = [];
    try {
      for (;;) {
        this.skip();
        if (this.i >= this.n) return forms;
        const line = this.line;
        const c = this.s.charCodeAt(this.i);
        if (c === LBRACKET || c === LPAREN) {
          this.i++;
          const itemLines: number[] = [];
          const value = this.readSeq(c === LBRACKET ? RBRACKET : RPAREN, line, c === LBRACKET ? 'vector' : 'list', itemLines);
          forms.push({ value, line, itemLines });
        } else {
          forms.push({ value: this.read(), line });
        }
      }
    } catch (e) {
      if (e instanceof RangeError) throw this.fail(`forms nested too deeply near line ${this.line}`);
      throw e;
    }
  }

  private fail(message: string, line = this.line): HistoryError {
    return new HistoryError(message, this.file, line, 'parse');
  }

  /** Skips whitespace, commas, comments and `#_` discarded forms. */
  private skip(): void {
    const s = this.s,
      n = this.n;
    let i = this.i;
    while (i < n) {
      const c = s.charCodeAt(i);
      if (c === NL) {
        this.line++;
        i++;
      } else if (c < 128 && CLASS[c] === 1) i++;
      else if (c === SEMI) {
        while (i < n && s.charCodeAt(i) !== NL) i++;
      } else if (c === HASH && s.charCodeAt(i + 1) === UNDERSCORE) {
        const line = this.line;
        this.i = i + 2;
        this.skip();
        const next = s.charCodeAt(this.i);
        if (this.i >= n || next === RPAREN || next === RBRACKET || next === RBRACE) {
          throw this.fail(`#_ at line ${line} discards nothing`, line);
        }
        this.read();
        i = this.i;
      } else if (c === 0xa0 || c === 0xfeff) i++;
      else break;
    }
    this.i = i;
  }

  private read(): EdnValue {
    const s = this.s;
    if (this.i >= this.n) throw this.fail(`unexpected end of input at line ${this.line}`);
    const c = s.charCodeAt(this.i);
    const line = this.line;
    switch (c) {
      case QUOTE:
        return this.readString();
      case COLON:
        return this.readKeyword();
      case LBRACE:
        this.i++;
        return this.readMap(line);
      case LBRACKET:
        this.i++;
        return this.readSeq(RBRACKET, line, 'vector');
      case LPAREN:
        this.i++;
        return this.readSeq(RPAREN, line, 'list');
      case HASH:
        return this.readDispatch();
      case BACKSLASH:
        return this.readChar();
      case RPAREN:
      case RBRACKET:
      case RBRACE:
        throw this.fail(`unexpected '${CLOSER_NAME[c]}' at line ${line}`);
    }
    if (c >= 48 && c <= 57) return this.readNumber();
    if (c === 43 || c === 45) {
      // + or -: a number when a digit follows
      const d = s.charCodeAt(this.i + 1);
      if (d >= 48 && d <= 57) return this.readNumber();
    }
    const tok = this.token();
    if (tok === 'nil') return null;
    if (tok === 'true') return true;
    if (tok === 'false') return false;
    if (tok === '') throw this.fail(`unexpected character '${s[this.i]}' at line ${line}`);
    return tok;
  }

  /** Reads up to the next delimiter. */
  private token(): string {
    const s = this.s,
      n = this.n,
      start = this.i;
    let i = start;
    while (i < n) {
      const c = s.charCodeAt(i);
      if (c < 128 && CLASS[c] !== 0) break;
      i++;
    }
    this.i = i;
    return s.slice(start, i);
  }

  private readKeyword(): string {
    const line = this.line;
    this.i++;
    if (this.s.charCodeAt(this.i) === COLON) this.i++; // ::auto-resolved, read as plain
    const name = this.token();
    if (name === '') throw this.fail(`empty keyword at line ${line}`);
    return this.intern(name);
  }

  /**
   * One string object per keyword text: map keys that are the same object each time hit V8's
   * inline caches instead of being hashed and looked up again (half of the parse time otherwise).
   */
  private readonly interned = new Map<string, string>();

  private intern(name: string): string {
    const known = this.interned.get(name);
    if (known !== undefined) return known;
    if (this.interned.size < 10_000) this.interned.set(name, name);
    return name;
  }

  private readNumber(): number | bigint {
    const line = this.line;
    const tok = this.token();
    // Fast path: a plain integer that fits in a double exactly.
    const len = tok.length;
    if (len <= 15) {
      let k = 0,
        neg = false,
        v = 0;
      const c0 = tok.charCodeAt(0);
      if (c0 === 45) {
        neg = true;
        k = 1;
      } else if (c0 === 43) k = 1;
      if (k < len) {
        for (; k < len; k++) {
          const d = tok.charCodeAt(k) - 48;
          if (d < 0 || d > 9) break;
          v = v * 10 + d;
        }
        if (k === len) return neg ? -v : v;
      }
    }
    if (INT_RE.test(tok)) {
      return intFromDigits(tok.endsWith('N') ? tok.slice(0, -1) : tok);
    }
    if (FLOAT_RE.test(tok)) return numberFromText(tok.endsWith('M') ? tok.slice(0, -1) : tok);
    let m = RATIO_RE.exec(tok);
    if (m) {
      const num = BigInt(m[1]!.replace(/^\+/, ''));
      const den = BigInt(m[2]!);
      if (den === 0n) throw this.fail(`ratio with zero denominator '${tok}' at line ${line}`, line);
      return num % den === 0n ? canonInt(num / den) : Number(m[1]) / Number(m[2]);
    }
    m = HEX_RE.exec(tok);
    if (m) return bigIntToValue(m[1]!, BigInt('0x' + m[2]));
    m = RADIX_RE.exec(tok);
    if (m) {
      const radix = Number(m[2]);
      const digits = m[3]!.toLowerCase();
      if (radix >= 2 && radix <= 36) {
        let v = 0n;
        let ok = true;
        for (const ch of digits) {
          const d = parseInt(ch, 36);
          if (d >= radix) {
            ok = false;
            break;
          }
          v = v * BigInt(radix) + BigInt(d);
        }
        if (ok) return bigIntToValue(m[1]!, v);
      }
    }
    throw this.fail(`invalid number '${tok}' at line ${line}`, line);
  }

  private readString(): string {
    const s = this.s,
      n = this.n,
      startLine = this.line;
    const start = this.i + 1;
    let i = start;
    // Fast path: no escapes.
    for (;;) {
      if (i >= n) throw this.fail(`unterminated string starting at line ${startLine}`, startLine);
      const c = s.charCodeAt(i);
      if (c === QUOTE) {
        this.i = i + 1;
        return s.slice(start, i);
      }
      if (c === BACKSLASH) break;
      if (c === NL) this.line++;
      i++;
    }
    let out = s.slice(start, i);
    for (;;) {
      if (i >= n) throw this.fail(`unterminated string starting at line ${startLine}`, startLine);
      const c = s.charCodeAt(i);
      if (c === QUOTE) {
        this.i = i + 1;
        return out;
      }
      if (c === BACKSLASH) {
        const e = s[i + 1];
        if (e === undefined) throw this.fail(`unterminated string starting at line ${startLine}`, startLine);
        const simple = STRING_ESCAPES[e];
        if (simple !== undefined) {
          out += simple;
          i += 2;
          continue;
        }
        if (e === 'u') {
          const hex = s.slice(i + 2, i + 6);
          if (!/^[0-9a-fA-F]{4}$/.test(hex)) throw this.fail(`invalid escape '\\u${hex}' in string at line ${this.line}`);
          out += String.fromCharCode(parseInt(hex, 16));
          i += 6;
          continue;
        }
        const oct = /^[0-7]{1,3}/.exec(s.slice(i + 1, i + 4));
        if (oct) {
          out += String.fromCharCode(parseInt(oct[0], 8));
          i += 1 + oct[0].length;
          continue;
        }
        throw this.fail(`invalid escape '\\${e}' in string at line ${this.line}`);
      }
      if (c === NL) this.line++;
      out += s[i];
      i++;
    }
  }

  private readChar(): string {
    const line = this.line;
    const s = this.s;
    const start = this.i + 1;
    if (start >= this.n) throw this.fail(`backslash at end of input at line ${line}`);
    // The first character is taken whatever it is (\( \; \,), then up to a delimiter.
    this.i = start + 1;
    const rest = this.token();
    const name = s[start] + rest;
    if (name.length === 1) {
      if (name === '\n') this.line++;
      return name;
    }
    const named = CHAR_NAMES[name];
    if (named !== undefined) return named;
    if (/^u[0-9a-fA-F]{4}$/.test(name)) return String.fromCharCode(parseInt(name.slice(1), 16));
    if (/^o[0-7]{1,3}$/.test(name)) return String.fromCharCode(parseInt(name.slice(1), 8));
    // A surrogate pair written raw (\😀) is one character.
    if (name.length === 2 && name.codePointAt(0)! > 0xffff) return name;
    throw this.fail(`unknown character literal '\\${name}' at line ${line}`);
  }

  private readSeq(close: number, startLine: number, kind: string, itemLines?: number[]): EdnValue[] {
    const s = this.s;
    const out: EdnValue[] = [];
    for (;;) {
      this.skip();
      if (this.i >= this.n) throw this.fail(`unterminated ${kind} starting at line ${startLine}`, startLine);
      const c = s.charCodeAt(this.i);
      if (c === close) {
        this.i++;
        return out;
      }
      if (c === RPAREN || c === RBRACKET || c === RBRACE) {
        throw this.fail(`unexpected '${CLOSER_NAME[c]}' at line ${this.line}: the ${kind} starting at line ${startLine} needs '${CLOSER_NAME[close]}'`);
      }
      if (itemLines) itemLines.push(this.line);
      out.push(this.read());
    }
  }

  private readMap(startLine: number): { [key: string]: EdnValue } {
    const s = this.s;
    const out: { [key: string]: EdnValue } = {};
    for (;;) {
      this.skip();
      if (this.i >= this.n) throw this.fail(`unterminated map starting at line ${startLine}`, startLine);
      let c = s.charCodeAt(this.i);
      if (c === RBRACE) {
        this.i++;
        return out;
      }
      if (c === RPAREN || c === RBRACKET) {
        throw this.fail(`unexpected '${CLOSER_NAME[c]}' at line ${this.line}: the map starting at line ${startLine} needs '}'`);
      }
      const keyLine = this.line;
      const k = this.read();
      this.skip();
      if (this.i >= this.n) throw this.fail(`unterminated map starting at line ${startLine}`, startLine);
      c = s.charCodeAt(this.i);
      if (c === RBRACE || c === RPAREN || c === RBRACKET) {
        throw this.fail(`map starting at line ${startLine} has a key without a value at line ${keyLine}`);
      }
      const v = this.read();
      const key = typeof k === 'string' ? k : keyString(k);
      if (key === '__proto__') Object.defineProperty(out, key, { value: v, enumerable: true, writable: true, configurable: true });
      else out[key] = v;
    }
  }

  private readDispatch(): EdnValue {
    const s = this.s;
    const line = this.line;
    const c = s.charCodeAt(this.i + 1);
    if (c === LBRACE) {
      this.i += 2;
      return this.readSeq(RBRACE, line, 'set');
    }
    if (c === UNDERSCORE) {
      this.skip();
      return this.read();
    }
    if (c === QUOTE) {
      this.i++;
      return this.readRegex(line);
    }
    if (c === HASH) {
      this.i += 2;
      const sym = this.token();
      if (sym === 'Inf') return Infinity;
      if (sym === '-Inf') return -Infinity;
      if (sym === 'NaN') return NaN;
      throw this.fail(`unknown symbolic value '##${sym}' at line ${line}`);
    }
    this.i++;
    const tag = this.token();
    if (tag === '') throw this.fail(`'#' must be followed by a tag at line ${line}`);
    this.skip();
    if (this.i >= this.n) throw this.fail(`tag #${tag} at line ${line} has no value`, line);
    const c2 = s.charCodeAt(this.i);
    if (c2 === RPAREN || c2 === RBRACKET || c2 === RBRACE) throw this.fail(`tag #${tag} at line ${line} has no value`, line);
    if (this.onUnknownTag && !KNOWN_TAG.test(tag)) this.onUnknownTag(tag, line);
    return this.read(); // #inst "..." -> the string, #uuid "..." -> the string, #foo.Bar{...} -> the map
  }

  /** Clojure's #"regex": kept as its source text (backslashes are not escapes there). */
  private readRegex(startLine: number): string {
    const s = this.s,
      n = this.n;
    let i = this.i + 1;
    const start = i;
    for (;;) {
      if (i >= n) throw this.fail(`unterminated regex starting at line ${startLine}`, startLine);
      const c = s.charCodeAt(i);
      if (c === QUOTE) break;
      if (c === BACKSLASH) i++;
      else if (c === NL) this.line++;
      i++;
    }
    this.i = i + 1;
    return s.slice(start, i);
  }
}

function bigIntToValue(sign: string, v: bigint): number | bigint {
  return canonInt(sign === '-' ? -v : v);
}

/** `{0 100}` -> key "0"; nil -> "nil"; collections -> their JSON. */
function keyString(k: EdnValue): string {
  if (k === null) return 'nil';
  if (typeof k === 'number' || typeof k === 'boolean' || typeof k === 'bigint') return String(k);
  return stringifyExact(k) ?? 'nil';
}
