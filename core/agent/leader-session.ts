import type { ReplicatedLog } from '../store/replicated-log';
import type { AgentSession, AssignmentChange, StatusUpdate } from './contract';

/**
 * A manager's own agent session: on the local store while this manager leads, through the leader's
 * dispatcher otherwise. When leadership moves, subscriptions move with it; the new side starts with a
 * complete set, so the agent reconciles.
 */
export class LeaderSession implements AgentSession {
  constructor(
    private readonly consensus: Pick<ReplicatedLog, 'status' | 'watchLeadership'>,
    private readonly local: AgentSession,
    private readonly remote: AgentSession,
  ) {}

  subscribe(onChange: (change: AssignmentChange) => void): () => void {
    let side = this.side();
    let unsubscribe = side.subscribe(onChange);
    const unwatch = this.consensus.watchLeadership(() => {
      const next = this.side();
      if (next === side) return;
      unsubscribe();
      side = next;
      unsubscribe = side.subscribe(onChange);
    });
    return () => {
      unwatch();
      unsubscribe();
    };
  }

  report(updates: readonly StatusUpdate[]): Promise<void> {
    return this.side().report(updates);
  }

  private side(): AgentSession {
    return this.consensus.status().isLeader ? this.local : this.remote;
  }
}
