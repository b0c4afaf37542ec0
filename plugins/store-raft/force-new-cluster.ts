import { encodeMembers } from './membership';
import type { PersistedState } from './raft-core';
import type { Entry, HardState, Member } from './types';

/**
 * What `swarm init --force-new-cluster` makes of a member's recovered state: the same log with a
 * `config` entry appended that leaves `self` the only member, committed, in a new term. Every entry the
 * member holds is kept and counts as committed, not only those it knew to be: its recorded commit index
 * may lag, and a write the old cluster acknowledged must not be lost. (An entry that never committed
 * was still a valid proposal; applying it is deterministic on every replica.)
 */
export function forceNewMembership(recovered: PersistedState, self: Member): { readonly entry: Entry; readonly hardState: HardState } {
  const lastIndex = recovered.entries.at(-1)?.index ?? recovered.snapshot?.index ?? 0;
  const lastTerm = recovered.entries.at(-1)?.term ?? recovered.snapshot?.term ?? 0;
  const term = Math.max(recovered.hardState.term, lastTerm) + 1;
  const entry: Entry = { index: lastIndex + 1, term, kind: 'config', data: encodeMembers([self]) };
  return { entry, hardState: { term, vote: self.id, commit: entry.index } };
}
