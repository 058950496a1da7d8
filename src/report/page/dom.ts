// Browser code (inlined into the report by bundle.ts; no imports at run time). Data goes in through
// textContent only: never innerHTML, so a value like <img onerror=...> is shown as text.
import type { OpRow, PageApi } from './api.js';
declare const FL: PageApi;

export function el(tag: string, text?: string | null, cls?: string): HTMLElement {
  const e = document.createElement(tag);
  if (text !== undefined && text !== null) e.textContent = text;
  if (cls) e.className = cls;
  return e;
}

export function table(head: string[], rows: (string | number | null)[][], cls?: string): HTMLTableElement {
  const t = FL.el('table', null, cls) as HTMLTableElement;
  const hr = t.createTHead().insertRow();
  for (const h of head) hr.appendChild(FL.el('th', h));
  const body = t.createTBody();
  for (const r of rows) {
    const tr = body.insertRow();
    for (const c of r) tr.appendChild(FL.el('td', c === null ? '' : String(c)));
  }
  return t;
}

export function opTable(rows: OpRow[], highlightLast?: boolean): HTMLTableElement {
  const s = (x: number | null) => (x === null ? '' : x.toFixed(6));
  const t = FL.table(
    ['index', 'process', 'node', 'f', 'outcome', 'value', 'invoked (s)', 'completed (s)'],
    rows.map((r) => [r.index, r.process, r.node, r.f, r.type, r.value, s(r.invokeS), s(r.completeS)]),
    'ops',
  );
  if (highlightLast && t.tBodies[0]!.rows.length > 0) t.tBodies[0]!.rows[t.tBodies[0]!.rows.length - 1]!.className = 'breaking';
  return t;
}

/** A base64 typed array from the embedded data (little-endian, as Node wrote it). */
export function decode(b64: string, kind: 'f64' | 'f32' | 'u16' | 'u8' | 'u32'): ArrayLike<number> & { length: number } {
  const bin = atob(b64);
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  const b = bytes.buffer;
  if (kind === 'f64') return new Float64Array(b);
  if (kind === 'f32') return new Float32Array(b);
  if (kind === 'u16') return new Uint16Array(b);
  if (kind === 'u32') return new Uint32Array(b);
  return bytes;
}
