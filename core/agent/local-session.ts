import type { ClusterStore } from '../store/contract';
import { applyStatusUpdates, watchAssignments } from './assignments';
import type { AgentSession, AssignmentChange, StatusUpdate } from './contract';

/** An AgentSession for an agent that runs in the same process as the manager's store. */
export class LocalSession implements AgentSession {
  constructor(
    private readonly store: ClusterStore,
    private readonly nodeId: string,
  ) {}

  subscribe(onChange: (change: AssignmentChange) => void): () => void {
    return watchAssignments(this.store, this.nodeId, onChange);
  }

  async report(updates: readonly StatusUpdate[]): Promise<void> {
    await this.store.update((tx) => applyStatusUpdates(tx, this.nodeId, updates));
  }
}
