import { Progress } from '../../../plugins/store-raft/progress';

/** A member being replicated to, with room for `count` appends and `bytes` bytes in flight. */
function replicating(count: number, bytes: number): Progress {
  const pr = new Progress(1, count, bytes);
  pr.becomeReplicate();
  return pr;
}

describe('Progress of a member being replicated to', () => {
  it('pauses once the appends in flight hold its byte budget, and resumes as they are answered', () => {
    const pr = replicating(256, 1000);
    pr.sentUpTo(0, 1, 600);
    expect(pr.isPaused).toBe(false);
    pr.sentUpTo(1, 2, 600);
    expect(pr.isPaused).toBe(true);
    pr.maybeUpdate(1);
    expect(pr.isPaused).toBe(false);
    pr.maybeUpdate(2);
    // One append bigger than the whole budget still goes, alone.
    pr.sentUpTo(2, 3, 5000);
    expect(pr.isPaused).toBe(true);
    pr.maybeUpdate(3);
    expect(pr.isPaused).toBe(false);
  });

  it('pauses once its count of appends in flight is reached, whatever their size', () => {
    const pr = replicating(2, Infinity);
    pr.sentUpTo(0, 1, 1);
    pr.sentUpTo(1, 2, 1);
    expect(pr.isPaused).toBe(true);
    // An answer of any kind frees the oldest slot, in case the one that would have was lost.
    pr.resume();
    expect(pr.isPaused).toBe(false);
  });
});
