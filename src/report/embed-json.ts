import { stringifyExact } from '../history/exact.js';

/**
 * JSON for a <script type="application/json"> block: `<` (so no `</script>` or `<!--` can close or
 * confuse the element), `>`, `&` and the JavaScript line separators U+2028/U+2029 become \u escapes,
 * which JSON.parse reads back unchanged.
 */
export function embedJson(value: unknown): string {
  return (stringifyExact(value) ?? 'null').replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Text for HTML element content and attribute values (only our own strings go in this way). */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
