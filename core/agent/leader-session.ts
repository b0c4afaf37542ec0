import type { ReplicatedLog } from '../store/replicated-log';
import type { AgentSession, AssignmentChange, StatusUpdate } from './contract';
import { LeaderSides } from './leader-sides';

/**
 * A manager's own agent session: on the local store while this manager leads, through the leader's
 * dispatcher otherwise. When leadership moves, subscriptions move with it; the new side starts with a
 * complete set, so the agent reconciles.
 */
export class LeaderSession implements AgentSession {
  private readonly sides: LeaderSides<AgentSession>;

  constructor(consensus: Pick<ReplicatedLog, 'status' | 'watchLeadership'>, local: AgentSession, remote: AgentSession) {
    this.sides = new LeaderSides(consensus, local, remote);
  }

  subscribe(onChange: (change: AssignmentChange) => void): () => void {
    return this.sides.follow((side) => side.subscribe(onChange));
  }

  report(updates: readonly StatusUpdate[]): Promise<void> {
    return this.sides.current().report(updates);
  }
}
