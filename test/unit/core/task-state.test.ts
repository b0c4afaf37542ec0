import { TASK_STATES, canTransition, explainTransition, isActive, isTerminal, stateRank } from '../../../core/model/task-state';

describe('task state machine', () => {
  it('orders states as swarm mode does', () => {
    expect(TASK_STATES.slice(0, 8)).toEqual(['new', 'pending', 'assigned', 'accepted', 'preparing', 'ready', 'starting', 'running']);
    expect(stateRank('running')).toBeLessThan(stateRank('complete'));
    expect(stateRank('failed')).toBeLessThan(stateRank('rejected'));
  });

  it('moves only forward', () => {
    for (const from of TASK_STATES) {
      for (const to of TASK_STATES) {
        expect(canTransition(from, to)).toBe(TASK_STATES.indexOf(to) > TASK_STATES.indexOf(from));
      }
    }
    expect(explainTransition('running', 'pending')).toMatch(/cannot move from running to pending/);
    expect(explainTransition('pending', 'assigned')).toBeUndefined();
  });

  it('classifies terminal and active states', () => {
    expect(['complete', 'shutdown', 'failed', 'rejected', 'remove', 'orphaned'].every((s) => isTerminal(s as never))).toBe(true);
    expect(isTerminal('running')).toBe(false);
    expect(isActive('assigned')).toBe(true);
    expect(isActive('running')).toBe(true);
    expect(isActive('pending')).toBe(false);
    expect(isActive('failed')).toBe(false);
  });

  it('refuses unknown states', () => {
    expect(() => stateRank('bogus' as never)).toThrow(/unknown task state "bogus"/);
  });
});
