// The public API of src/history: the Op type, reading, writing, importing and linting histories.
export * from './op.js';
export * from './errors.js';
export * from './pairs.js';
export { parseEdn, parseEdnValue, type EdnValue, type EdnForm } from './edn.js';
export { normalizeOp, type NormalizeNotes } from './normalize.js';
export { loadHistory, parseHistory, detectFormat, readHistory, type LoadedHistory, type HistoryFormat, type HistoryStream } from './load.js';
export { lintHistory, assertLinted, type LintOptions } from './lint.js';
export { HistoryWriter, formatOpLine, type HistoryWriterOptions } from './writer.js';
export { convertHistory } from './convert.js';
export { identity, Interner } from './identity.js';
export { addExact, canonInt, intFromDigits, isExactInt, negExact, numberFromText, parseJsonExact, stringifyExact } from './exact.js';
