import type { Entry, Member } from './types';

/** A membership change refused for now only: one is still in progress, or the leader is new. Retry shortly. */
export class MembershipBusy extends Error {}

/** One membership change: add a member (or change its address), or remove one. Raft allows one at a time. */
export type ConfigChange = { readonly type: 'set'; readonly member: Member } | { readonly type: 'remove'; readonly id: string };

/** The payload of a `config` entry: the complete member list. */
export function encodeMembers(members: readonly Member[]): Uint8Array {
  return Buffer.from(JSON.stringify(members.map(({ id, addr }) => ({ id, addr }))));
}

/**
 * Reads the member list of a `config` entry.
 * @throws Error when the payload is not a list of `{id, addr}` with distinct ids
 */
export function decodeMembers(data: Uint8Array): Member[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(data).toString('utf8'));
  } catch {
    throw new Error('config entry is not JSON');
  }
  return parseMembers(parsed);
}

/**
 * Checks a decoded member list.
 * @throws Error when `value` is not a list of `{id, addr}` with distinct, non-empty ids
 */
export function parseMembers(value: unknown): Member[] {
  const ok =
    Array.isArray(value) &&
    value.every((m) => typeof m === 'object' && m !== null && typeof m.id === 'string' && m.id !== '' && typeof m.addr === 'string');
  if (!ok) throw new Error('member list is not a list of {id, addr}');
  const members = (value as Member[]).map(({ id, addr }) => ({ id, addr }));
  if (new Set(members.map((m) => m.id)).size !== members.length) throw new Error('member list names a member twice');
  return members;
}

/** The member list after `change`. */
export function applyChange(members: readonly Member[], change: ConfigChange): Member[] {
  const others = members.filter((m) => m.id !== (change.type === 'set' ? change.member.id : change.id));
  return change.type === 'set' ? [...others, change.member] : others;
}

/**
 * The member lists of a log: the one in force at its snapshot point, then one per `config` entry.
 * A member uses the newest list in its log, committed or not (single-server changes, Raft §4.1).
 */
export class MembershipHistory {
  /** Newest last; the first is the list at the snapshot point. */
  private lists: { index: number; members: readonly Member[] }[];

  constructor(baseIndex: number, baseMembers: readonly Member[], entries: readonly Entry[]) {
    this.lists = [{ index: baseIndex, members: baseMembers }];
    this.add(entries);
  }

  /** The newest member list. */
  get current(): readonly Member[] {
    return this.lists[this.lists.length - 1].members;
  }

  /** Index of the entry that set the newest list (the snapshot index, if none since). */
  get currentIndex(): number {
    return this.lists[this.lists.length - 1].index;
  }

  /** The member list in force at `index`. */
  at(index: number): readonly Member[] {
    for (let i = this.lists.length - 1; i > 0; i--) if (this.lists[i].index <= index) return this.lists[i].members;
    return this.lists[0].members;
  }

  /** Records the `config` entries among `entries` (appended in order, after any truncation). */
  add(entries: readonly Entry[]): void {
    for (const e of entries) if (e.kind === 'config') this.lists.push({ index: e.index, members: decodeMembers(e.data) });
  }

  /** Forgets lists set by entries from `index` on (the log's suffix from there was replaced). */
  truncateFrom(index: number): void {
    while (this.lists.length > 1 && this.lists[this.lists.length - 1].index >= index) this.lists.pop();
  }

  /** The log was compacted or replaced up to `index`: the list in force there becomes the base. */
  rebase(index: number, members: readonly Member[] = this.at(index)): void {
    this.lists = [{ index, members }, ...this.lists.filter((l) => l.index > index)];
  }
}
