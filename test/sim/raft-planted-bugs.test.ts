import { frequentCrashes, isolatedLeaders, withBugs } from './raft/planted-bugs';
import { runSimulation, type FailureKind, type SimResult, type Tweak } from './raft/run';

/**
 * The simulation's checks catch bugs planted in the member driver (never in the Raft core): over a
 * few seeds some run fails the way the bug should make it fail, and the same seed passes without it.
 */
function runSeeds(tweak: Tweak, seeds: number): SimResult[] {
  return Array.from({ length: seeds }, (_, i) => runSimulation(i + 1, tweak));
}

function caught(results: readonly SimResult[], kind: FailureKind, message: RegExp): SimResult[] {
  return results.filter((r) => r.failure?.kind === kind && message.test(r.failure.message));
}

// Replaying one seed (ORCH_SIM_SEED) is about that seed alone.
const describeUnlessReplaying = process.env.ORCH_SIM_SEED ? describe.skip : describe;

describeUnlessReplaying('planted bugs are caught', () => {
  it('a deposed leader serving reads from its own state is not linearizable', () => {
    const results = runSeeds(withBugs({ staleReads: true }, isolatedLeaders), 20);
    const stale = caught(results, 'linearizability', /not linearizable/);
    expect(stale.length).toBeGreaterThan(0);
    const { seed, failure } = stale.reduce((a, b) => (b.failure!.explanation!.length < a.failure!.explanation!.length ? b : a));
    // The report says how to replay the seed; the checker says which key went wrong and why.
    expect(failure!.message).toContain(`ORCH_SIM_SEED=${seed}`);
    expect(failure!.explanation).toMatch(/is not linearizable: the longest linearizable prefix has \d+ of its \d+ operations/);
    expect(failure!.explanation).toMatch(/nothing can be linearized before .* get\(/);
    console.log(`stale reads caught in ${stale.length} of ${results.length} seeds; the shortest report:\n${failure!.message.split('recent events')[0]}`);
    // The same seed without the planted bug passes.
    expect(runSimulation(seed, isolatedLeaders).failure).toBeUndefined();
  }, 120_000);

  it('a member acknowledging before fsync is caught by the durability invariant', () => {
    const results = runSeeds(withBugs({ ackBeforeFsync: true }, frequentCrashes(true)), 10);
    const lost = caught(results, 'invariant', /durability: .* crashed and lost/);
    expect(lost.length).toBeGreaterThan(0);
    expect(runSimulation(lost[0].seed, frequentCrashes(true)).failure).toBeUndefined();
  }, 120_000);

  it('without the durability invariant, acknowledging before fsync breaks Raft safety itself', () => {
    const results = runSeeds(withBugs({ ackBeforeFsync: true }, frequentCrashes(false)), 40);
    const broken = caught(results, 'invariant', /leader completeness|state machine safety|election safety|log matching/);
    expect(broken.length).toBeGreaterThan(0);
    console.log(`with acknowledgements lost in crashes, Raft safety broke in ${broken.length} of ${results.length} seeds, e.g.\n${broken[0].failure!.message.split('\n')[0]}`);
  }, 120_000);
});
