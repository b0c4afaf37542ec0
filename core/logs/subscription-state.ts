import type { LogOptions } from '../runtime/contract';

/** One node's part in a subscription: the tasks it was asked for, and whether it is done. */
interface NodePart {
  readonly tasks: Set<string>;
  settled: boolean;
}

/**
 * The bookkeeping of one log subscription: which tasks each node was asked for and which nodes are
 * done (closed their part, or were lost). A subscription without follow is complete once every node is
 * done; one with follow never is (it ends when its caller goes away). Pure.
 */
export class SubscriptionState {
  private readonly nodes = new Map<string, NodePart>();

  constructor(
    readonly id: string,
    readonly options: LogOptions,
  ) {}

  /** Asks `nodeId` for `taskIds` too; returns those it was not asked for yet. */
  add(nodeId: string, taskIds: readonly string[]): string[] {
    let part = this.nodes.get(nodeId);
    if (!part) {
      part = { tasks: new Set(), settled: false };
      this.nodes.set(nodeId, part);
    }
    const fresh = [...new Set(taskIds)].filter((id) => !part.tasks.has(id));
    for (const id of fresh) part.tasks.add(id);
    return fresh;
  }

  /** True when `nodeId` was asked for something in this subscription. */
  involves(nodeId: string): boolean {
    return this.nodes.has(nodeId);
  }

  /** True when `nodeId` was asked for something and is not done. */
  isOpen(nodeId: string): boolean {
    return this.nodes.get(nodeId)?.settled === false;
  }

  /** True when `nodeId` was asked for `taskId`. */
  asked(nodeId: string, taskId: string): boolean {
    return this.nodes.get(nodeId)?.tasks.has(taskId) === true;
  }

  /** The tasks `nodeId` was asked for. */
  tasksOf(nodeId: string): string[] {
    return [...(this.nodes.get(nodeId)?.tasks ?? [])];
  }

  /** The nodes that are not done. */
  openNodes(): string[] {
    return [...this.nodes].filter(([, p]) => !p.settled).map(([id]) => id);
  }

  /** `nodeId` is done: it closed its part, or (without follow) it was lost. */
  settle(nodeId: string): void {
    const part = this.nodes.get(nodeId);
    if (part) part.settled = true;
  }

  /** True once a subscription without follow has every node done. */
  get complete(): boolean {
    return !this.options.follow && this.openNodes().length === 0;
  }
}
