// Stub so this branch compiles; the inference helper's file replaces it at merge.
import type { Infer } from './types.js';

export const inferListAppend: Infer = () => {
  throw new Error('stub: replaced at merge');
};
