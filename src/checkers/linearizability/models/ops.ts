import type { ModelOp } from '../model.js';

/** The sentence validate gives for an f the model does not know. */
export function unknownF(model: string, f: string, known: readonly string[]): string {
  return `the ${model} model has no operation '${f}' (it knows ${known.join(', ')})`;
}

/** The op with its value replaced, unless the value is already the same. */
export function withValue(op: ModelOp, value: unknown): ModelOp {
  return value === op.value ? op : { f: op.f, value, info: op.info };
}
