import type { Op, OpType } from '../../src/history/op.js';

/**
 * Bench-only converters from Porcupine's two test-data formats to faultline ops (then JSONL with
 * formatOpLine). Each reads exactly the lines Porcupine's own parser in porcupine_test.go reads and
 * skips the rest, as it does; the semantics differ only where faultline's are the stricter reading:
 *
 * - kv (test_data/kv): EDN maps with separate :key and :value, one per line. Our kv model wants
 *   Jepsen's independent-key value [key, v]; an invocation still open at the end is left open (our
 *   loader treats it as info: it may or may not have happened). Porcupine closes it at the end with an
 *   empty output; for a put or append that is the same, for a get it would be a read of "" there.
 * - Jepsen etcd logs (test_data/jepsen): Jepsen's old text log, `INFO  jepsen.util - P\t:type\t:f\tvalue`.
 *   `:info ... :timed-out` lines are skipped by Porcupine, which closes the op as unknown at the end;
 *   here they are info completions carrying the invocation's value, which means the same. A `:fail :cas`
 *   stays a fail (it did not take effect, Knossos's reading); Porcupine's etcd model also checks that the
 *   register did not hold `from` then, a constraint ours does not add, so ours can only be more lenient
 *   there: a verdict that differs would show in the bench as a wrong verdict.
 */

const KV_LINE = /^\{:process (\d+), :type :(invoke|ok), :f :(get|put|append), :key "(.*?)", :value (nil|"(.*)")\}$/;

export function kvLogToOps(text: string): Op[] {
  const ops: Op[] = [];
  const open = new Map<number, Op>();
  for (const line of text.split('\n')) {
    const m = KV_LINE.exec(line.trim());
    if (!m) continue;
    const process = Number(m[1]);
    const type = m[2] as OpType;
    const f = m[3];
    const value = m[5] === 'nil' ? null : m[6];
    if (type === 'invoke') {
      const op = push(ops, type, process, f, [m[4], value]);
      open.set(process, op);
    } else {
      const inv = open.get(process);
      open.delete(process);
      // Porcupine's completion of a put or append keeps no value; the invocation's is the one that matters.
      push(ops, type, process, f, f === 'get' ? [m[4], value] : (inv?.value ?? [m[4], value]));
    }
  }
  return ops;
}

const ETCD_LINE = /^INFO\s+jepsen\.util\s+-\s+(\d+)\s+:(invoke|ok|fail|info)\s+:(read|write|cas)\s+(.*?)\s*$/;

export function jepsenEtcdLogToOps(text: string): Op[] {
  const ops: Op[] = [];
  const open = new Map<number, Op>();
  for (const line of text.split('\n')) {
    const m = ETCD_LINE.exec(line);
    if (!m) continue;
    const process = Number(m[1]);
    const type = m[2] as OpType;
    const f = m[3];
    const raw = m[4];
    const parsed = parseEtcdValue(raw);
    if (type === 'invoke') {
      open.set(process, push(ops, type, process, f, parsed));
      continue;
    }
    const inv = open.get(process);
    if (!inv) continue; // a completion with no invocation: Porcupine would pair it with a stale id; none occur
    open.delete(process);
    push(ops, type, process, f, raw === ':timed-out' || type === 'info' ? inv.value : parsed);
  }
  return ops;
}

function parseEtcdValue(raw: string): unknown {
  if (raw === 'nil' || raw === ':timed-out') return null;
  const cas = /^\[(\d+)\s+(\d+)\]$/.exec(raw);
  if (cas) return [Number(cas[1]), Number(cas[2])];
  if (/^\d+$/.test(raw)) return Number(raw);
  return raw;
}

function push(ops: Op[], type: OpType, process: number, f: string, value: unknown): Op {
  const op: Op = { index: ops.length, time: ops.length, type, process, f, value };
  ops.push(op);
  return op;
}
