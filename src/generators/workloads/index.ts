export type { Workload } from './workload.js';
export { registerWorkload, type RegisterOptions } from './register.js';
export { appendWorkload, type AppendOptions } from './append.js';
export { setWorkload } from './set.js';
export { listAppendWorkload, type ListAppendOptions, type ListAppendShape } from './list-append.js';
export { txnRegisterWorkload, type TxnRegisterOptions, type TxnRegisterShape } from './txn-register.js';
export { txnKeys } from './txn-keys.js';

import type { Workload } from './workload.js';
import { registerWorkload } from './register.js';
import { appendWorkload } from './append.js';
import { setWorkload } from './set.js';
import { listAppendWorkload } from './list-append.js';
import { txnRegisterWorkload } from './txn-register.js';

/** Workloads by name, with their default options. */
export const WORKLOADS: Readonly<Record<string, () => Workload>> = {
  register: () => registerWorkload(),
  'rw-register': () => registerWorkload({ cas: false }),
  append: () => appendWorkload(),
  set: () => setWorkload(),
  'list-append': () => listAppendWorkload(),
  'txn-register': () => txnRegisterWorkload(),
};

/** Workloads whose ops are transactions (`f: 'txn'`, a list of micro-ops), run at an isolation level. */
export const TXN_WORKLOADS: ReadonlySet<string> = new Set(['list-append', 'txn-register']);

/** The txn shape each transactional workload can take besides `mixed` (the CLI's --txn-shape). */
export const TXN_SHAPES: Readonly<Record<string, readonly string[]>> = {
  'list-append': ['mixed', 'write-skew'],
  'txn-register': ['mixed', 'read-then-write'],
};

/** What a run can set of a workload (`faultline run` flags); each workload takes what applies to it. */
export interface WorkloadSettings {
  keys?: number;
  txnShape?: string;
  minTxnLength?: number;
  maxTxnLength?: number;
  maxWritesPerKey?: number;
}

/** The named workload with a run's settings (unknown names throw: the run refuses them before). */
export function workloadFor(name: string, s: WorkloadSettings = {}): Workload {
  const txn = { keys: s.keys, minTxnLength: s.minTxnLength, maxTxnLength: s.maxTxnLength, maxWritesPerKey: s.maxWritesPerKey };
  if (name === 'append') return appendWorkload({ keys: s.keys });
  if (name === 'list-append') return listAppendWorkload({ ...txn, shape: (s.txnShape ?? 'mixed') as 'mixed' | 'write-skew' });
  if (name === 'txn-register') return txnRegisterWorkload({ ...txn, shape: (s.txnShape ?? 'mixed') as 'mixed' | 'read-then-write' });
  const w = WORKLOADS[name];
  if (!w) throw new Error(`unknown workload '${name}'`);
  return w();
}
