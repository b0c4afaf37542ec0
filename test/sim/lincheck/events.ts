import type { Operation } from './history';

/** A call or return of one operation, in a doubly linked list ordered by time. */
export class EventNode {
  prev: EventNode = this;
  next: EventNode | null = null;

  /** `op` is the operation's index in the history the list was made from. */
  constructor(
    readonly op: number,
    readonly isCall: boolean,
    readonly time: number,
  ) {}
}

/** Orders events by time, calls before returns at equal times; by operation to be deterministic. */
function compareEvents(a: EventNode, b: EventNode): number {
  if (a.time !== b.time) return a.time < b.time ? -1 : 1;
  if (a.isCall !== b.isCall) return a.isCall ? -1 : 1;
  return a.op - b.op;
}

/**
 * The calls and returns of a history, ordered by time, that a search lifts operations out of as it
 * linearizes them and puts back when it backtracks. At equal times calls come before returns, so an
 * operation returning at t and one called at t are concurrent. An operation that never returned
 * returns after everything else.
 */
export class EventList {
  /** A sentinel before the first event. */
  private readonly head = new EventNode(-1, false, -Infinity);
  private readonly calls: readonly EventNode[];
  private readonly returns: readonly EventNode[];

  constructor(ops: readonly Operation<unknown, unknown>[]) {
    this.calls = ops.map((o, op) => new EventNode(op, true, o.call));
    this.returns = ops.map((o, op) => new EventNode(op, false, o.return ?? Infinity));
    let prev = this.head;
    for (const node of [...this.calls, ...this.returns].sort(compareEvents)) {
      node.prev = prev;
      prev.next = node;
      prev = node;
    }
  }

  /** The earliest event still in the list. */
  first(): EventNode | null {
    return this.head.next;
  }

  /** The call event of operation `op`. */
  callOf(op: number): EventNode {
    return this.calls[op];
  }

  /** Takes operation `op`'s call and return out of the list. */
  lift(op: number): void {
    unlink(this.calls[op]);
    unlink(this.returns[op]);
  }

  /** Puts back operation `op`, which must be the one most recently lifted out. */
  unlift(op: number): void {
    relink(this.returns[op]);
    relink(this.calls[op]);
  }
}

function unlink(node: EventNode): void {
  node.prev.next = node.next;
  if (node.next !== null) node.next.prev = node.prev;
}

/** Undoes `unlink(node)`, valid once everything unlinked after it has been put back. */
function relink(node: EventNode): void {
  node.prev.next = node;
  if (node.next !== null) node.next.prev = node;
}
