import type { Message } from './messages';

/** Carries Raft messages between members. Delivery may be late, lost or reordered; Raft copes. */
export interface Transport {
  send(messages: readonly Message[]): void;
}

/** The receiving end: a member that takes messages addressed to it. */
export interface MessageReceiver {
  receive(message: Message): void;
}

/** A transport for a lone member, which never has anyone to send to. */
export const noTransport: Transport = { send: () => undefined };

/**
 * Members in one process: a transport that delivers each message asynchronously (on a later turn of the
 * event loop) to the member it is addressed to. Messages to a member not joined are dropped.
 */
export class LocalNetwork implements Transport {
  private readonly members = new Map<string, MessageReceiver>();

  /** Delivers messages addressed to `id` to `member` from now on. */
  join(id: string, member: MessageReceiver): void {
    this.members.set(id, member);
  }

  send(messages: readonly Message[]): void {
    for (const m of messages) setImmediate(() => this.members.get(m.to)?.receive(m));
  }
}
