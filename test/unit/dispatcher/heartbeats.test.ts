import pino from 'pino';
import { HeartbeatMonitor } from '../../../core/dispatcher/heartbeat-monitor';
import { graceMs, jitteredPeriod, nextDeadline, nodesToMarkDown, startupDeadlines, type SetTimer } from '../../../core/dispatcher/heartbeats';
import { ReplicatedStore } from '../../../core/store/replicated-store';
import { MemoryLog } from '../../helpers/memory-log';
import { makeNode } from '../../helpers/nodes';
import { unstored } from '../orchestrator/fixtures';

const PERIOD = 1000;
const GRACE = 3 * PERIOD;

describe('heartbeat deadlines (pure)', () => {
  it('gives a node three periods', () => {
    expect(graceMs(PERIOD)).toBe(GRACE);
  });

  it('gives every node known at start two graces', () => {
    expect(startupDeadlines(['a', 'b'], 500, PERIOD)).toEqual(new Map([['a', 500 + 2 * GRACE], ['b', 500 + 2 * GRACE]]));
  });

  it('marks down the nodes whose deadline has passed, at the deadline itself included', () => {
    const deadlines = new Map([['early', 100], ['due', 200], ['late', 300]]);
    expect(nodesToMarkDown(deadlines, 199)).toEqual(['early']);
    expect(nodesToMarkDown(deadlines, 200)).toEqual(['early', 'due']);
    expect(nextDeadline(deadlines)).toBe(100);
    expect(nextDeadline(new Map())).toBeUndefined();
  });

  it('jitters the announced period by ±10 %', () => {
    expect(jitteredPeriod(PERIOD, () => 0)).toBe(900);
    expect(jitteredPeriod(PERIOD, () => 0.5)).toBe(1000);
    expect(jitteredPeriod(PERIOD, () => 0.9999)).toBe(1100);
  });
});

/** A clock and timer that move only when the test says so. */
class FakeTime {
  now = 0;
  private timers: { at: number; fn: () => void }[] = [];
  readonly clock = () => new Date(this.now);
  readonly setTimer: SetTimer = (fn, ms) => {
    const timer = { at: this.now + ms, fn };
    this.timers.push(timer);
    return () => (this.timers = this.timers.filter((t) => t !== timer));
  };

  /** Timers armed now. */
  get armed(): number {
    return this.timers.length;
  }

  /** Moves time on by `ms`, firing due timers in order and letting the writes they start finish. */
  async advance(ms: number): Promise<void> {
    const end = this.now + ms;
    for (;;) {
      await settle();
      const due = this.timers.filter((t) => t.at <= end).sort((a, b) => a.at - b.at)[0];
      if (!due) break;
      this.timers = this.timers.filter((t) => t !== due);
      this.now = due.at;
      due.fn();
    }
    this.now = end;
    await settle();
  }
}

const settle = async () => {
  for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
};

describe('HeartbeatMonitor', () => {
  let store: ReplicatedStore;
  let time: FakeTime;
  let monitor: HeartbeatMonitor;
  let downs: string[];

  beforeEach(async () => {
    store = new ReplicatedStore(new MemoryLog());
    await store.start();
    await store.update((tx) => {
      tx.clusters.create({ id: 'c', name: 'default', settings: { taskHistoryLimit: 5, dispatcherHeartbeatMs: PERIOD } });
      for (const id of ['self', 'w1', 'w2']) tx.nodes.create(unstored(makeNode(id)));
    });
    time = new FakeTime();
    downs = [];
    monitor = new HeartbeatMonitor({ store, log: pino({ level: 'silent' }), selfNodeId: 'self', clock: time.clock, setTimer: time.setTimer, onDown: (id) => downs.push(id) });
  });
  afterEach(() => monitor.stop());

  const state = (id: string) => store.view((r) => r.nodes.get(id)?.status);

  it('gives the nodes it finds at start two graces, and never judges its own node', async () => {
    monitor.start();
    await time.advance(2 * GRACE - 1);
    expect(['self', 'w1', 'w2'].map((id) => state(id)?.state)).toEqual(['ready', 'ready', 'ready']);
    await time.advance(1);
    expect(state('w1')).toMatchObject({ state: 'down', message: 'heartbeat failure' });
    expect(state('w2')?.state).toBe('down');
    expect(state('self')?.state).toBe('ready');
    expect(downs).toEqual(['w1', 'w2']);
  });

  it('marks a node down three periods after its last heartbeat, and keeps a beating node ready', async () => {
    monitor.start();
    for (let t = 0; t < 10; t++) {
      monitor.heartbeat('w1');
      monitor.heartbeat('w2');
      await time.advance(PERIOD);
    }
    monitor.heartbeat('w1');
    const last = time.now;
    for (let t = 0; t < 3; t++) {
      monitor.heartbeat('w2');
      await time.advance(t < 2 ? PERIOD : PERIOD - 1);
    }
    expect(state('w1')?.state).toBe('ready');
    await time.advance(1);
    expect(time.now - last).toBe(GRACE);
    expect(state('w1')?.state).toBe('down');
    expect(state('w2')?.state).toBe('ready');
    expect(downs).toEqual(['w1']);
  });

  it('arms one timer at the earliest deadline instead of polling', async () => {
    monitor.start();
    expect(time.armed).toBe(1);
    monitor.heartbeat('w1');
    monitor.heartbeat('w2');
    expect(time.armed).toBe(1);
    const writes = store.version;
    await time.advance(GRACE - 1);
    expect(store.version).toBe(writes);
    expect(time.armed).toBe(1);
  });

  it('marks a DOWN node ready again at its next heartbeat, and judges it again from then', async () => {
    monitor.start();
    await time.advance(2 * GRACE);
    expect(state('w1')?.state).toBe('down');
    monitor.heartbeat('w1');
    await settle();
    expect(state('w1')).toMatchObject({ state: 'ready', message: '', heartbeatAt: new Date(time.now).toISOString() });
    await time.advance(GRACE);
    expect(state('w1')?.state).toBe('down');
  });

  it('lets a tracked session stand for a heartbeat, without writing the node', async () => {
    monitor.start();
    await time.advance(2 * GRACE - 10);
    const version = store.version;
    monitor.track('w1');
    await settle();
    expect(store.version).toBe(version);
    await time.advance(GRACE - 1);
    expect(state('w1')?.state).toBe('ready');
    expect(state('w2')?.state).toBe('down');
  });

  it('gives a node whose session dropped one period to come back', async () => {
    monitor.start();
    monitor.track('w1');
    monitor.track('w2');
    monitor.lost('w1');
    monitor.lost('w2');
    monitor.track('w2');
    await time.advance(PERIOD - 1);
    expect(state('w1')?.state).toBe('ready');
    await time.advance(1);
    expect(state('w1')).toMatchObject({ state: 'down', message: 'heartbeat failure' });
    expect(state('w2')?.state).toBe('ready');
  });

  it('follows the cluster’s heartbeat period', async () => {
    await store.update((tx) => {
      const c = tx.clusters.get('c')!;
      tx.clusters.update({ ...c, settings: { ...c.settings, dispatcherHeartbeatMs: 100 } });
    });
    monitor.start();
    expect(monitor.announcedPeriodMs()).toBeGreaterThanOrEqual(90);
    expect(monitor.announcedPeriodMs()).toBeLessThanOrEqual(110);
    await time.advance(600);
    expect(state('w1')?.state).toBe('down');
  });

  it('looks again a period later when marking down fails', async () => {
    const update = store.update.bind(store);
    let failures = 1;
    jest.spyOn(store, 'update').mockImplementation((fn) => (failures-- > 0 ? Promise.reject(new Error('not the leader')) : update(fn)));
    monitor.start();
    await time.advance(2 * GRACE);
    expect(state('w1')?.state).toBe('ready');
    await time.advance(PERIOD);
    expect(state('w1')?.state).toBe('down');
  });

  it('ignores nodes the store no longer has', async () => {
    monitor.start();
    await store.update((tx) => tx.nodes.delete('w1'));
    await time.advance(2 * GRACE);
    expect(downs).toEqual(['w2']);
    expect(time.armed).toBe(0);
  });
});
