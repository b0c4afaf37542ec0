import type { ConsensusSettings, LogStatus, ReplicatedLog, StateMachine } from '../../core/store/replicated-log';

/** A ReplicatedLog of one member that commits at once in memory: for tests of what sits above consensus. */
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
  async readBarrier(): Promise<void> {}
  async addMember(): Promise<void> {
    throw new Error('a memory log has one member only');
  }
  async removeMember(): Promise<void> {
    throw new Error('a memory log has one member only');
  }
  async transferLeadership(): Promise<string> {
    throw new Error('a memory log has one member only');
  }
  configure(_settings: Partial<ConsensusSettings>): void {}
  /** Leadership never changes: the listener is never called. */
  watchLeadership(): () => void {
    return () => undefined;
  }
  status(): LogStatus {
    const members = [{ id: 'm', addr: '', reachable: true }];
    return { memberId: 'm', term: 1, leaderId: 'm', isLeader: true, commitIndex: this.index, appliedIndex: this.index, members };
  }
  async stop(): Promise<void> {}
}
