/**
 * A consistency model for the linearizability checker: a handful of pure functions (Porcupine's shape).
 * Adding a model is one small file in models/ plus one line in models/index.ts.
 */
export interface ModelOp {
  f: string;
  /** The completed value (from the ok completion, else from the invocation), after prepare(). */
  value: unknown;
  /** True when the outcome is unknown (an info op, or an invocation that never completed). */
  info: boolean;
}

export interface Model<S = unknown> {
  name: string;
  /** One line for `--help` and the README. */
  doc: string;
  init(): S;
  /**
   * The state after `op` takes effect in state `s`, or undefined when it cannot take effect there
   * (for an ok op: the op is illegal in s). For an info op return the state as if it took effect;
   * the search itself also considers that it never took effect. Must not mutate `s`.
   */
  step(s: S, op: ModelOp): S | undefined;
  /** Memoization key: equal states give equal keys, different states different keys. */
  key(s: S): string | number;
  /** A state in words for witnesses: "3", "x=1 y=2", "locked", "[1 2]". */
  describe(s: S): string;
  /** An op in words for witnesses: "read 3", "cas 1->2", "acquire". */
  describeOp(op: ModelOp): string;
  /**
   * Whether `value` has the plain (unkeyed) shape this model expects for `f`. Used to recognise
   * Jepsen's independent-key convention, value = [key, v]: a history is keyed when every client op's
   * value is a pair whose second element has the plain shape (and, for `keyedOnly` models, always).
   */
  shape(f: string, value: unknown): boolean;
  /**
   * True when a state is a value whose step and key cost time in its size (kv's growing string, a
   * set, a queue): the search then remembers each (state, op) transition it has computed and steps
   * each pair once. Leave unset for states that are one token (registers): a lookup costs as much as a step.
   */
  cacheSteps?: boolean;
  /** True when ops on different keys are independent (P-compositionality): keyed histories are split per key. */
  partitionable: boolean;
  /** True when the model only makes sense keyed (kv): values are always [key, v]. */
  keyedOnly?: boolean;
  /** Normalise an op once before the search (e.g. intern object values to strings). Optional. */
  prepare?(op: ModelOp): ModelOp;
  /**
   * Ops that constrain nothing and change nothing, dropped before the search: e.g. a read that
   * completed with nil (unknown), or an info read. Optional.
   */
  irrelevant?(op: ModelOp): boolean;
  /** Model-level validation of an op: returns an error sentence for an f or value it does not know. */
  validate?(op: ModelOp): string | undefined;
}
