import type { AgentSession, AssignmentChange, StatusUpdate } from '../../agent/contract';

/**
 * An AgentSession in front of a real one that can be killed: after `kill`, reports are dropped (a dead
 * machine sends nothing) instead of making the real session dial the manager again.
 */
export class KillableSession implements AgentSession {
  private dead = false;

  constructor(private readonly inner: AgentSession) {}

  subscribe(onChange: (change: AssignmentChange) => void): () => void {
    return this.inner.subscribe(onChange);
  }

  report(updates: readonly StatusUpdate[]): Promise<void> {
    return this.dead ? Promise.resolve() : this.inner.report(updates);
  }

  /** From now on, nothing more is sent. */
  kill(): void {
    this.dead = true;
  }

  /** True once killed. */
  get killed(): boolean {
    return this.dead;
  }
}
