import type { Operation } from '../../sim/lincheck/history';
import type { Model } from '../../sim/lincheck/model';

/**
 * Linearizability by its definition, for tiny single-partition histories: tries every order of every
 * set of operations that holds all that returned, keeping each operation after those that returned
 * before its call. Exponential; a reference to check the real checker against.
 */
export function bruteForceLinearizable<S, I, O>(model: Model<S, I, O>, ops: readonly Operation<I, O>[]): boolean {
  const placed = ops.map(() => false);
  const extend = (state: S): boolean => {
    if (ops.every((op, i) => placed[i] || op.return === undefined)) return true;
    return ops.some((op, i) => {
      if (placed[i] || ops.some((other, j) => !placed[j] && other.return !== undefined && other.return < op.call)) return false;
      const next = model.step(state, op.input, op.output);
      if (!next.ok) return false;
      placed[i] = true;
      const found = extend(next.state);
      placed[i] = false;
      return found;
    });
  };
  return extend(model.init());
}
