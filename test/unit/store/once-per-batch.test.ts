import type { ChangeEvent } from '../../../core/store/contract';
import { oncePerBatch } from '../../../core/store/once-per-batch';

describe('oncePerBatch', () => {
  it('reads a batch once however often it is asked, an undefined answer included, and each batch apart', () => {
    const read = jest.fn((events: readonly ChangeEvent[]) => (events.length > 0 ? events.length : undefined));
    const memo = oncePerBatch(read);
    const empty: ChangeEvent[] = [];
    const one = [{ table: 'tasks', kind: 'delete', object: { id: 't1' }, version: 1 }] as unknown as ChangeEvent[];
    expect([memo(empty), memo(empty), memo(one), memo(one)]).toEqual([undefined, undefined, 1, 1]);
    expect(read).toHaveBeenCalledTimes(2);
  });
});
