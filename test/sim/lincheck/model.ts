/** What applying one operation to a model state gives: rejected, or accepted with the state after it. */
export type StepResult<S> = { readonly ok: true; readonly state: S } | { readonly ok: false };

/**
 * A sequential specification: the behaviour a history must be explainable by. States are immutable
 * values: `step` returns a new state and never changes the one it is given, because the checker keeps
 * earlier states to backtrack to.
 */
export interface Model<S, I, O> {
  /** The state before any operation (of one partition, if the model partitions). */
  init(): S;
  /**
   * Applies `input` to `state`, accepting it if the model could have replied `output`. An undefined
   * output is unknown (the operation never returned, or returned nothing usable): accept whatever the
   * model would have replied, and return the state after it.
   */
  step(state: S, input: I, output: O | undefined): StepResult<S>;
  /**
   * A canonical encoding of a state, also shown in failure explanations: equal states must have equal
   * keys and different states different keys. The checker remembers states it has explored by key.
   */
  key(state: S): string;
  /**
   * The partition an operation belongs to. Operations of different partitions must never affect each
   * other (each key of a key-value store, say), so each partition is checked on its own, from `init()`.
   * Without it the whole history is one partition, named `''`.
   */
  partition?(input: I): string;
  /** A one-line description of an operation for failure explanations; an undefined output is unknown. */
  describe?(input: I, output: O | undefined): string;
}
