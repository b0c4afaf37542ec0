import { seededRandom } from '../../../plugins/store-raft/random';
import { checkLinearizable } from '../../sim/lincheck/checker';
import { kvModel } from '../../sim/lincheck/kv-model';
import { bruteForceLinearizable } from './brute-force';
import type { KvOp } from './ops';
import { plantStaleRead, randomKvHistory, type HistoryShape } from './random-history';

/** A small history of many shapes, from its seed. */
const smallShape = (seed: number): HistoryShape => ({ seed, ops: 20 + (seed % 100), keys: 1 + (seed % 4), clients: 1 + (seed % 8), giveUp: (seed % 4) * 0.1 });

/** Changes a few things in a history: what reads saw, compare-and-sets' verdicts, when operations returned. */
function mutate(history: readonly KvOp[], seed: number): KvOp[] {
  const rand = seededRandom(seed);
  const values = [undefined, ...history.flatMap((o) => (o.input.op === 'get' ? [] : [o.input.value]))];
  const mutated = [...history];
  for (let n = 1 + (seed % 3); n > 0; n--) {
    const index = Math.floor(rand() * mutated.length);
    const op = mutated[index];
    if (op.return === undefined) continue;
    if (op.input.op === 'put' || rand() < 0.2) {
      mutated[index] = { ...op, return: Math.max(op.call, op.return + Math.floor(rand() * 9) - 4) };
    } else if (op.input.op === 'get') {
      const others = values.filter((v) => v !== (op.output as { value?: string }).value);
      const value = others[Math.floor(rand() * others.length)];
      mutated[index] = { ...op, output: value === undefined ? {} : { value } };
    } else {
      mutated[index] = { ...op, output: { ok: !(op.output as { ok: boolean }).ok } };
    }
  }
  return mutated;
}

describe('checkLinearizable on generated key-value histories', () => {
  it('agrees with a brute-force check on tiny histories, linearizable or not', () => {
    const disagreements: string[] = [];
    let linearizable = 0;
    const runs = 3000;
    for (let seed = 1; seed <= runs; seed++) {
      const history = mutate(randomKvHistory({ seed, ops: 3 + (seed % 6), keys: 1, clients: 1 + (seed % 3), giveUp: (seed % 3) * 0.15 }), seed);
      const expected = bruteForceLinearizable(kvModel, history);
      const result = checkLinearizable(kvModel, history);
      if (result.ok !== expected) disagreements.push(`seed ${seed}: checker ${result.ok}, brute force ${expected}: ${JSON.stringify(history)}`);
      if (expected) linearizable++;
    }
    expect(disagreements).toEqual([]);
    // Both verdicts are well represented.
    expect(linearizable).toBeGreaterThan(runs * 0.2);
    expect(linearizable).toBeLessThan(runs * 0.8);
  });

  it('finds histories of a real sequential store linearizable', () => {
    for (let seed = 1; seed <= 300; seed++) {
      expect({ seed, result: checkLinearizable(kvModel, randomKvHistory(smallShape(seed))) }).toEqual({ seed, result: { ok: true } });
    }
  });

  it('catches a stale read planted in them', () => {
    let planted = 0;
    for (let seed = 1; seed <= 300; seed++) {
      const stale = plantStaleRead(randomKvHistory(smallShape(seed)), seed);
      if (stale === undefined) continue;
      planted++;
      const result = checkLinearizable(kvModel, stale.history);
      expect({ seed, result }).toMatchObject({ seed, result: { ok: false, partition: stale.history[stale.index].input.key } });
    }
    expect(planted).toBeGreaterThan(250);
  });

  it('checks 2,000-operation histories over 10 keys and 10 clients, some of whose operations never returned', () => {
    for (const seed of [1, 2, 3]) {
      const history = randomKvHistory({ seed, ops: 2000, keys: 10, clients: 10, giveUp: 0.05 });
      expect(history.filter((op) => op.return === undefined).length).toBeGreaterThan(50);
      expect(checkLinearizable(kvModel, history)).toEqual({ ok: true });
      const stale = plantStaleRead(history, seed)!;
      expect(checkLinearizable(kvModel, stale.history)).toMatchObject({ ok: false, partition: stale.history[stale.index].input.key });
    }
  });
});
