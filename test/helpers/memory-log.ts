import type { ReplicatedLog, StateMachine } from '../../core/store/replicated-log';

/** A ReplicatedLog that commits at once in memory: for tests of what sits above consensus. */
export class MemoryLog implements ReplicatedLog {
  private sm: StateMachine | undefined;
  private index = 0;
  proposals = 0;

  async start(sm: StateMachine): Promise<void> {
    this.sm = sm;
  }
  async propose(data: Uint8Array): Promise<unknown> {
    if (!this.sm) throw new Error('not started');
    this.proposals++;
    return this.sm.apply(++this.index, data);
  }
  status() {
    return { memberId: 'm', term: 1, leaderId: 'm', isLeader: true, commitIndex: this.index, appliedIndex: this.index, members: ['m'] };
  }
  async stop(): Promise<void> {}
}
