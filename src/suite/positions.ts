/**
 * Where each value of a suite file is: a path such as `matrix.replication[1]` -> its line (1-based), so
 * a validation error can name the line. JSON.parse gives no positions, so JSON files are parsed here by a
 * small recursive-descent parser (RFC 8259, nothing more) that records each value's line as it goes.
 */

export type Lines = Map<string, number>;

export interface Located {
  value: unknown;
  lines: Lines;
}

/** A JSON syntax error at a line and column (1-based). */
export class JsonSyntaxError extends Error {
  constructor(
    message: string,
    readonly line: number,
    readonly column: number,
  ) {
    super(message);
    this.name = 'JsonSyntaxError';
  }
}

/** The path of a child: `a.b` for an identifier-like key, `a["x y"]` otherwise, `a[3]` for an index. */
export function childPath(parent: string, key: string | number): string {
  if (typeof key === 'number') return `${parent}[${key}]`;
  if (/^[A-Za-z_$][\w$-]*$/.test(key)) return parent === '' ? key : `${parent}.${key}`;
  return `${parent}[${JSON.stringify(key)}]`;
}

export function parseJsonWithLines(text: string): Located {
  const lines: Lines = new Map();
  let i = 0;
  let line = 1;
  if (text.charCodeAt(0) === 0xfeff) i = 1;

  const fail = (msg: string, at = i): never => {
    // Line and column of `at` (at is at or after the current line's start, or recompute).
    let l = 1;
    let ls = 0;
    for (let k = 0; k < at && k < text.length; k++)
      if (text[k] === '\n') {
        l++;
        ls = k + 1;
      }
    throw new JsonSyntaxError(msg, l, at - ls + 1);
  };
  const what = () => (i >= text.length ? 'the end of the file' : `'${text[i]}'`);
  const ws = () => {
    for (; i < text.length; i++) {
      const c = text[i];
      if (c === '\n') line++;
      else if (c !== ' ' && c !== '\t' && c !== '\r') break;
    }
  };
  const str = (): string => {
    const start = i;
    i++; // opening quote
    let out = '';
    for (;;) {
      if (i >= text.length) fail('a string is not closed', start);
      const c = text[i]!;
      if (c === '"') {
        i++;
        return out;
      }
      if (c === '\n' || c.charCodeAt(0) < 0x20) fail('a control character (a line break?) inside a string');
      if (c === '\\') {
        const e = text[i + 1];
        const simple: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
        if (e !== undefined && simple[e] !== undefined) {
          out += simple[e];
          i += 2;
        } else if (e === 'u' && /^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) {
          out += String.fromCharCode(parseInt(text.slice(i + 2, i + 6), 16));
          i += 6;
        } else fail(`a bad escape '\\${e ?? ''}' in a string`);
      } else {
        out += c;
        i++;
      }
    }
  };
  const value = (path: string): unknown => {
    ws();
    lines.set(path, line);
    const c = text[i];
    if (c === '{') {
      i++;
      const obj: Record<string, unknown> = {};
      ws();
      if (text[i] === '}') {
        i++;
        return obj;
      }
      for (;;) {
        ws();
        if (text[i] !== '"') fail(`expected a key in double quotes, found ${what()}`);
        const keyLine = line;
        const k = str();
        ws();
        if (text[i] !== ':') fail(`expected ':' after the key "${k}", found ${what()}`);
        i++;
        const p = childPath(path, k);
        if (Object.hasOwn(obj, k)) fail(`the key "${k}" is given twice`);
        const v = value(p);
        // The key's line: an error about a value is easiest found at its key.
        lines.set(p, keyLine);
        Object.defineProperty(obj, k, { value: v, enumerable: true, writable: true, configurable: true });
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === '}') {
          i++;
          return obj;
        }
        fail(`expected ',' or '}' in an object, found ${what()}`);
      }
    }
    if (c === '[') {
      i++;
      const arr: unknown[] = [];
      ws();
      if (text[i] === ']') {
        i++;
        return arr;
      }
      for (;;) {
        arr.push(value(childPath(path, arr.length)));
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === ']') {
          i++;
          return arr;
        }
        fail(`expected ',' or ']' in a list, found ${what()}`);
      }
    }
    if (c === '"') return str();
    const m = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/.exec(text.slice(i, i + 400));
    if (m && m[0] !== '' && m[0] !== '-') {
      i += m[0].length;
      return Number(m[0]);
    }
    for (const [word, v] of [
      ['true', true],
      ['false', false],
      ['null', null],
    ] as const) {
      if (text.startsWith(word, i)) {
        i += word.length;
        return v;
      }
    }
    return fail(`expected a value, found ${what()}`);
  };
  const v = value('');
  ws();
  if (i < text.length) fail(`unexpected ${what()} after the end of the document`);
  return { value: v, lines };
}

/** The line of a path, or of its nearest ancestor that has one. */
export function lineOf(lines: Lines, path: string): number | undefined {
  for (let p = path; ;) {
    const l = lines.get(p);
    if (l !== undefined) return l;
    if (p === '') return undefined;
    const cut = Math.max(p.lastIndexOf('.'), p.lastIndexOf('['));
    p = cut <= 0 ? '' : p.slice(0, cut);
  }
}

/** The subset of the `yaml` package (2.x) used here; loaded only when a YAML suite is given. */
interface YamlNode {
  range?: [number, number, number];
  items?: Array<YamlNode | { key: YamlNode & { value?: unknown }; value: YamlNode | null }>;
  value?: unknown;
}
interface YamlModule {
  LineCounter: new () => { linePos(offset: number): { line: number; col: number } };
  parseDocument(
    text: string,
    opts: { lineCounter: unknown; uniqueKeys?: boolean },
  ): {
    errors: Array<{ message: string; linePos?: Array<{ line: number; col: number }> }>;
    contents: YamlNode | null;
    toJS(): unknown;
  };
}

/** Thrown when a YAML suite is given and the `yaml` package is not installed. */
export class YamlUnavailable extends Error {}

/** Parses YAML with the `yaml` package, mapping each value's path to its line like parseJsonWithLines. */
export async function parseYamlWithLines(text: string): Promise<Located> {
  let Y: YamlModule;
  try {
    const name = 'yaml'; // not a literal: the package is optional until it is a dependency
    Y = (await import(name)) as YamlModule;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ERR_MODULE_NOT_FOUND')
      throw new YamlUnavailable('YAML suite files need the yaml package (npm install yaml); JSON works without it');
    throw e;
  }
  const lc = new Y.LineCounter();
  const doc = Y.parseDocument(text, { lineCounter: lc, uniqueKeys: true });
  if (doc.errors.length > 0) {
    const e = doc.errors[0]!;
    const pos = e.linePos?.[0] ?? { line: 1, col: 1 };
    throw new JsonSyntaxError(e.message.split('\n')[0]!, pos.line, pos.col);
  }
  const lines: Lines = new Map();
  const walk = (n: YamlNode | null | undefined, path: string) => {
    if (!n) return;
    if (n.range) lines.set(path, lc.linePos(n.range[0]).line);
    if (!Array.isArray(n.items)) return;
    n.items.forEach((item, idx) => {
      if (item && typeof item === 'object' && 'key' in item) {
        const key = String(item.key?.value ?? item.key);
        const p = childPath(path, key);
        walk(item.value, p);
        if (item.key?.range) lines.set(p, lc.linePos(item.key.range[0]).line);
      } else walk(item as YamlNode, childPath(path, idx));
    });
  };
  walk(doc.contents, '');
  return { value: doc.toJS(), lines };
}
