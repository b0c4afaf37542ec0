import { checkLinearizable, type CheckResult } from '../../sim/lincheck/checker';
import { kvModel } from '../../sim/lincheck/kv-model';
import type { Model } from '../../sim/lincheck/model';
import { cas, get, put, type KvOp } from './ops';

const check = (ops: KvOp[]): CheckResult => checkLinearizable(kvModel, ops);
const linearizable = (ops: KvOp[]) => expect(check(ops)).toEqual({ ok: true });
const notLinearizable = (ops: KvOp[], partition = 'x') => expect(check(ops)).toMatchObject({ ok: false, partition });

describe('checkLinearizable with the key-value model', () => {
  it('accepts the empty history and sequential histories', () => {
    linearizable([]);
    linearizable([get(0, 'x', undefined, 0, 1), put(0, 'x', 'a', 2, 3), get(1, 'x', 'a', 4, 5), put(1, 'x', 'b', 6, 7), get(0, 'x', 'b', 8, 9)]);
  });

  it('rejects a read of a value that was never written', () => {
    notLinearizable([get(0, 'x', 'a', 0, 1)]);
  });

  it('rejects a stale read after a completed write', () => {
    notLinearizable([put(0, 'x', 'a', 0, 1), put(0, 'x', 'b', 2, 3), get(1, 'x', 'a', 4, 5)]);
  });

  it('lets a read concurrent with a write see either value, but never the old one after the new', () => {
    linearizable([put(0, 'x', 'a', 0, 10), get(1, 'x', undefined, 1, 2), get(1, 'x', 'a', 3, 4), get(2, 'x', 'a', 5, 6)]);
    notLinearizable([put(0, 'x', 'a', 0, 10), get(1, 'x', 'a', 1, 2), get(1, 'x', undefined, 3, 4)]);
    notLinearizable([put(0, 'x', 'a', 0, 10), get(1, 'x', 'a', 1, 2), get(2, 'x', undefined, 3, 4)]);
  });

  it('rejects readers that see two concurrent writes in opposite orders', () => {
    const writes = [put(0, 'x', 'a', 0, 10), put(1, 'x', 'b', 0, 10)];
    linearizable([...writes, get(2, 'x', 'a', 1, 2), get(2, 'x', 'b', 3, 4), get(3, 'x', 'a', 1, 2), get(3, 'x', 'b', 3, 4)]);
    notLinearizable([...writes, get(2, 'x', 'a', 1, 2), get(2, 'x', 'b', 3, 4), get(3, 'x', 'b', 1, 2), get(3, 'x', 'a', 3, 4)]);
  });

  it('orders operations only when one returns strictly before the other is called', () => {
    linearizable([put(0, 'x', 'a', 0, 5), get(1, 'x', undefined, 5, 6)]);
    notLinearizable([put(0, 'x', 'a', 0, 5), get(1, 'x', undefined, 6, 7)]);
  });

  it('follows compare-and-set semantics', () => {
    linearizable([cas(0, 'x', undefined, 'a', 0, true, 1), cas(0, 'x', 'a', 'b', 2, true, 3), cas(1, 'x', 'a', 'c', 4, false, 5), get(1, 'x', 'b', 6, 7)]);
    notLinearizable([put(0, 'x', 'a', 0, 1), cas(1, 'x', 'a', 'b', 2, false, 3)]);
    notLinearizable([put(0, 'x', 'a', 0, 1), cas(1, 'x', 'z', 'b', 2, true, 3)]);
    notLinearizable([put(0, 'x', 'a', 0, 1), cas(1, 'x', 'z', 'b', 2, false, 3), get(1, 'x', 'b', 4, 5)]);
  });

  it('lets only one of two concurrent compare-and-sets from the same value succeed', () => {
    const racing = (okA: boolean, okB: boolean) => [cas(0, 'x', undefined, 'a', 0, okA, 10), cas(1, 'x', undefined, 'b', 0, okB, 10)];
    notLinearizable(racing(true, true));
    linearizable([...racing(true, false), get(2, 'x', 'a', 11, 12)]);
    notLinearizable([...racing(true, false), get(2, 'x', 'b', 11, 12)]);
    // Both may fail if a concurrent write got in first.
    linearizable([...racing(false, false), put(2, 'x', 'c', 0, 10)]);
    notLinearizable(racing(false, false));
  });

  describe('operations that never returned', () => {
    it('may have taken effect', () => {
      linearizable([put(0, 'x', 'a', 0), get(1, 'x', 'a', 5, 6)]);
      linearizable([cas(0, 'x', undefined, 'a', 0), get(1, 'x', 'a', 5, 6)]);
    });

    it('may never have taken effect', () => {
      linearizable([put(0, 'x', 'a', 0), get(1, 'x', undefined, 5, 6), get(1, 'x', undefined, 7, 8)]);
      linearizable([put(0, 'x', 'a', 0), cas(0, 'x', undefined, 'b', 1), put(0, 'x', 'c', 2, 3), get(1, 'x', 'c', 5, 6)]);
    });

    it('may take effect long after the client gave up, even after its later operations', () => {
      linearizable([put(0, 'x', 'a', 0), put(0, 'x', 'b', 1, 2), get(1, 'x', 'b', 3, 4), get(1, 'x', 'a', 10, 11)]);
    });

    it('take effect at most once, and not before their call', () => {
      notLinearizable([put(0, 'x', 'a', 0), put(0, 'x', 'b', 1, 2), get(1, 'x', 'a', 3, 4), get(1, 'x', 'b', 5, 6), get(1, 'x', 'a', 7, 8)]);
      notLinearizable([get(1, 'x', 'a', 0, 1), put(0, 'x', 'a', 2)]);
    });

    it('still take effect all at once, with the model’s output', () => {
      // The cas found 'a' and wrote 'b', or found nothing: it cannot have both failed and written.
      linearizable([put(0, 'x', 'a', 0, 1), cas(1, 'x', 'a', 'b', 2), get(2, 'x', 'b', 3, 4)]);
      notLinearizable([put(0, 'x', 'z', 0, 1), cas(1, 'x', 'a', 'b', 2), get(2, 'x', 'b', 3, 4)]);
    });
  });

  it('checks each key on its own and names the one that fails', () => {
    const ops = [put(0, 'x', 'a', 0, 1), put(1, 'y', 'a', 0, 1), get(0, 'y', 'a', 2, 3), get(1, 'x', 'a', 2, 3)];
    linearizable(ops);
    notLinearizable([...ops, get(2, 'y', undefined, 4, 5)], 'y');
  });

  it('explains a failure with the longest linearizable prefix and the operations that could not follow', () => {
    const result = check([put(0, 'y', 'q', 0, 1), put(0, 'x', 'a', 0, 1), put(1, 'x', 'b', 2, 3), get(2, 'x', 'b', 4, 6), get(2, 'x', 'a', 7, 9)]);
    if (result.ok !== false) throw new Error(`expected a failure, got ${JSON.stringify(result)}`);
    expect(result.explanation).toBe(
      [
        'partition "x" is not linearizable: the longest linearizable prefix has 3 of its 4 operations.',
        '',
        'Longest linearizable prefix, in order, with the state after each operation:',
        '     1. #1 client 0 [0..1] put(x, "a") → ok  ⇒ "a"',
        '     2. #2 client 1 [2..3] put(x, "b") → ok  ⇒ "b"',
        '     3. #3 client 2 [4..6] get(x) → "b"  ⇒ "b"',
        '',
        'After it, in state "b", nothing can be linearized before #4 client 2 [7..9] get(x) → "a" returns.',
        'Operations that could come next:',
        '  #4 client 2 [7..9] get(x) → "a": rejected by the model',
        '',
        'All operations of the partition by call time (✓n: n-th in the prefix):',
        '  ✓1    #1 client 0 [0..1] put(x, "a") → ok',
        '  ✓2    #2 client 1 [2..3] put(x, "b") → ok',
        '  ✓3    #3 client 2 [4..6] get(x) → "b"',
        '        #4 client 2 [7..9] get(x) → "a"',
      ].join('\n'),
    );
  });

  it('answers unknown when time runs out', () => {
    expect(checkLinearizable(kvModel, [put(0, 'x', 'a', 0, 1)], { timeoutMs: 0 })).toEqual({ ok: 'unknown' });
  });

  it('rejects malformed histories', () => {
    expect(() => check([put(0, 'x', 'a', 5, 4)])).toThrow('operation #0: returns at 4, before its call at 5');
    expect(() => check([{ client: 0, input: { op: 'put', key: 'x', value: 'a' }, call: 0, output: {} }])).toThrow('operation #0: has an output but no return time');
    expect(() => check([put(0, 'x', 'a', NaN, 1)])).toThrow('operation #0: call time NaN is not a finite number');
  });
});

describe('checkLinearizable with a model that does not partition or describe', () => {
  /** A counter: `add` returns the new total. */
  const counter: Model<number, number, number> = {
    init: () => 0,
    step: (total, add, seen) => (seen === undefined || seen === total + add ? { ok: true, state: total + add } : { ok: false }),
    key: String,
  };
  const add = (client: number, n: number, total: number | undefined, call: number, ret?: number) => ({ client, input: n, output: total, call, return: ret });

  it('checks the whole history as one partition', () => {
    expect(checkLinearizable(counter, [add(0, 1, 3, 0, 10), add(1, 2, 2, 0, 10)])).toEqual({ ok: true });
    expect(checkLinearizable(counter, [add(0, 1, 1, 0, 10), add(1, 2, 2, 0, 10)])).toMatchObject({ ok: false, partition: '' });
  });

  it('describes operations as JSON', () => {
    const result = checkLinearizable(counter, [add(0, 1, 1, 0, 1), add(1, 5, undefined, 2), add(2, 1, 9, 3, 4)]);
    expect(result).toMatchObject({ ok: false });
    if (result.ok === false) expect(result.explanation).toContain('#2 client 2 [3..4] 1 → 9: rejected by the model');
    if (result.ok === false) expect(result.explanation).toContain('#1 client 1 [2..?] 5 → ?: accepted (⇒ 6), but no linearization continues from there');
  });
});
