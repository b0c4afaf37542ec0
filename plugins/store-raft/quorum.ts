/** Number of members that make a majority of `size`. */
export function quorumSize(size: number): number {
  return Math.floor(size / 2) + 1;
}

/** The highest index that a majority of members hold, given each member's match index. */
export function quorumIndex(matches: readonly number[]): number {
  const sorted = [...matches].sort((a, b) => b - a);
  return sorted[quorumSize(sorted.length) - 1] ?? 0;
}

/** Outcome of an election so far. */
export type VoteResult = 'won' | 'lost' | 'pending';

/** Tallies `votes` (member → granted) among `members`. */
export function tallyVotes(members: readonly string[], votes: ReadonlyMap<string, boolean>): VoteResult {
  let granted = 0;
  let rejected = 0;
  for (const id of members) {
    const v = votes.get(id);
    if (v === true) granted++;
    else if (v === false) rejected++;
  }
  const q = quorumSize(members.length);
  if (granted >= q) return 'won';
  if (rejected > members.length - q) return 'lost';
  return 'pending';
}
