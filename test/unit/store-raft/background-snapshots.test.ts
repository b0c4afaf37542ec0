import { BackgroundSnapshots, snapshotDue, STATE_GROWTH, type SnapshotPolicy } from '../../../plugins/store-raft/background-snapshots';
import type { RaftCore } from '../../../plugins/store-raft/raft-core';
import type { RaftStorage } from '../../../plugins/store-raft/raft-storage';
import type { StateMachine } from '../../../core/store/replicated-log';
import type { Snapshot } from '../../../plugins/store-raft/types';

const policy: SnapshotPolicy = { everyEntries: () => 10_000, everyBytes: 100 };

describe('snapshotDue', () => {
  it('is due after everyEntries entries, whatever their bytes', () => {
    expect(snapshotDue(policy, { entries: 10_000, bytes: 0 }, 1e9)).toBe(true);
    expect(snapshotDue(policy, { entries: 9_999, bytes: 0 }, 0)).toBe(false);
  });

  it('is due after everyBytes of entries while the state is small', () => {
    expect(snapshotDue(policy, { entries: 1, bytes: 99 }, 10)).toBe(false);
    expect(snapshotDue(policy, { entries: 1, bytes: 100 }, 10)).toBe(true);
  });

  it('waits for STATE_GROWTH times the last snapshot once the state is bigger', () => {
    expect(STATE_GROWTH).toBeGreaterThan(1);
    expect(snapshotDue(policy, { entries: 1, bytes: STATE_GROWTH * 1000 - 1 }, 1000)).toBe(false);
    expect(snapshotDue(policy, { entries: 1, bytes: STATE_GROWTH * 1000 }, 1000)).toBe(true);
  });
});

describe('BackgroundSnapshots', () => {
  /** A core whose applied index moves on with each `apply`, a state machine whose snapshots have `size` bytes. */
  function member(size: number) {
    const log = { applied: 0, snapshotIndex: 0 };
    const core = { log, snapshotAt: (index: number, data: Uint8Array) => ({ index, term: 1, members: [], data }) } as unknown as RaftCore;
    const sm = { snapshot: async () => new Uint8Array(size) } as unknown as StateMachine;
    const saved: Snapshot[] = [];
    const storage = { saveSnapshotFile: async (s: Snapshot) => void saved.push(s) } as unknown as RaftStorage;
    const snapshots = new BackgroundSnapshots(policy, () => undefined);
    const apply = async (bytes: number) => {
      log.applied++;
      snapshots.applied(bytes);
      snapshots.maybeStart(core, sm, storage);
      await snapshots.settle();
    };
    return { snapshots, saved, apply };
  }

  it('takes the next snapshot once STATE_GROWTH times the last one was applied since', async () => {
    const { saved, apply } = member(1000);
    await apply(150);
    expect(saved).toHaveLength(1);
    await apply(STATE_GROWTH * 1000 - 1);
    expect(saved).toHaveLength(1);
    await apply(1);
    expect(saved).toHaveLength(2);
  });

  it('counts from the size of a snapshot it restored', async () => {
    const { snapshots, saved, apply } = member(10);
    snapshots.restored(5000);
    await apply(STATE_GROWTH * 5000 - 1);
    expect(saved).toHaveLength(0);
    await apply(1);
    expect(saved).toHaveLength(1);
    await apply(100);
    expect(saved).toHaveLength(2); // its own snapshots are small: everyBytes again
  });
});
