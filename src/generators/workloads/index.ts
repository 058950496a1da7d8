export type { Workload } from './workload.js';
export { registerWorkload, type RegisterOptions } from './register.js';
export { appendWorkload, type AppendOptions } from './append.js';
export { setWorkload } from './set.js';

import type { Workload } from './workload.js';
import { registerWorkload } from './register.js';
import { appendWorkload } from './append.js';
import { setWorkload } from './set.js';

/** Workloads by name, with their default options. */
export const WORKLOADS: Readonly<Record<string, () => Workload>> = {
  register: () => registerWorkload(),
  'rw-register': () => registerWorkload({ cas: false }),
  append: () => appendWorkload(),
  set: () => setWorkload(),
};
