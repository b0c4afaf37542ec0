import { LogBroker, type LogSink } from '../../../core/logs/broker';
import type { LogMessage, LogSubscription } from '../../../core/logs/contract';
import { OrchError } from '../../../core/errors';

const line = (taskId: string, text = 'x'): LogMessage => ({ taskId, stream: 'stdout', timestamp: '2026-11-24T10:00:00Z', text });

/** A sink that records what it is told. */
function recorder() {
  const events: string[] = [];
  let ended: OrchError | undefined | 'no' = 'no';
  const sink: LogSink = {
    messages: (nodeId, ms) => events.push(`${nodeId}: ${ms.map((m) => `${m.taskId}=${m.text}`).join(' ')}`),
    incomplete: (nodeId, reason) => events.push(`${nodeId} incomplete: ${reason}`),
    end: (err) => {
      if (ended !== 'no') throw new Error('ended twice');
      ended = err;
    },
  };
  return { sink, events, ended: () => ended };
}

/** A broker that is serving, with nodes listening; what each node was sent. */
function setup(...nodes: string[]) {
  const broker = new LogBroker();
  broker.start();
  const sent = new Map<string, LogSubscription[]>();
  const unlisten = new Map<string, () => void>();
  for (const n of nodes) {
    sent.set(n, []);
    unlisten.set(n, broker.listen(n, (s) => sent.get(n)!.push(s)));
  }
  return { broker, sent, unlisten };
}

describe('LogBroker', () => {
  it('sends each node its own tasks, relays what they publish, and ends once every node closed', () => {
    const { broker, sent } = setup('n1', 'n2');
    const r = recorder();
    broker.subscribe(new Map([['n1', ['a', 'b']], ['n2', ['c']]]), { follow: false, tail: 3 }, r.sink);
    const [s1] = sent.get('n1')!;
    expect(s1).toEqual({ id: expect.any(String), taskIds: ['a', 'b'], options: { follow: false, tail: 3 } });
    expect(sent.get('n2')).toEqual([{ id: s1.id, taskIds: ['c'], options: { follow: false, tail: 3 } }]);

    broker.publish('n1', { subscriptionId: s1.id, messages: [line('a', '1'), line('b', '2')], close: true });
    broker.publish('n2', { subscriptionId: s1.id, messages: [line('c', '3')] });
    expect(r.ended()).toBe('no');
    broker.publish('n2', { subscriptionId: s1.id, messages: [], close: true, error: 'task c: gone' });
    expect(r.events).toEqual(['n1: a=1 b=2', 'n2: c=3', 'n2 incomplete: task c: gone']);
    expect(r.ended()).toBeUndefined();
    // Over: a late batch is refused as not found, so the node stops.
    expect(() => broker.publish('n2', { subscriptionId: s1.id, messages: [] })).toThrow('log subscription');
  });

  it("accepts only messages of subscriptions sent to the node, for the node's own tasks", () => {
    const { broker, sent } = setup('n1', 'n2');
    broker.subscribe(new Map([['n1', ['a']]]), { follow: true }, recorder().sink);
    const id = sent.get('n1')![0].id;
    expect(() => broker.publish('n2', { subscriptionId: id, messages: [] })).toThrow(expect.objectContaining({ code: 'permission-denied', field: 'subscriptionId' }));
    expect(() => broker.publish('n1', { subscriptionId: id, messages: [line('a'), line('zz')] })).toThrow(
      expect.objectContaining({ code: 'permission-denied', field: 'messages[1].taskId' }),
    );
    expect(() => broker.publish('n1', { subscriptionId: 'nope', messages: [] })).toThrow(expect.objectContaining({ code: 'not-found' }));
  });

  it('reports a node that is not connected at once, and ends without waiting for it', () => {
    const { broker } = setup('n1');
    const r = recorder();
    broker.subscribe(new Map([['n9', ['z']]]), { follow: false }, r.sink);
    expect(r.events).toEqual(['n9 incomplete: the node is not connected to the leader (down or unreachable)']);
    expect(r.ended()).toBeUndefined();
  });

  it('ends at once when there is nothing to read', () => {
    const { broker } = setup();
    const r = recorder();
    broker.subscribe(new Map(), { follow: false }, r.sink);
    expect(r.ended()).toBeUndefined();
  });

  it('counts a node whose stream ends as done without follow, and reports it', () => {
    const { broker, sent, unlisten } = setup('n1', 'n2');
    const r = recorder();
    broker.subscribe(new Map([['n1', ['a']], ['n2', ['b']]]), { follow: false }, r.sink);
    broker.publish('n1', { subscriptionId: sent.get('n1')![0].id, messages: [], close: true });
    unlisten.get('n2')!();
    expect(r.events).toEqual(["n2 incomplete: the node's log stream to the leader ended"]);
    expect(r.ended()).toBeUndefined();
  });

  it('with follow, adds tasks that start later with all their lines, and asks a node again, new lines only, when it comes back', () => {
    const { broker, sent, unlisten } = setup('n1');
    const r = recorder();
    const sub = broker.subscribe(new Map([['n1', ['a']]]), { follow: true, tail: 5, sinceMs: 1000 }, r.sink);
    const id = sent.get('n1')![0].id;
    sub.add('n1', ['a', 'b']);
    sub.add('n2', ['c']);
    expect(sent.get('n1')![1]).toEqual({ id, taskIds: ['b'], options: { follow: true, sinceMs: 1000 } });
    unlisten.get('n1')!();
    const again: LogSubscription[] = [];
    broker.listen('n1', (s) => again.push(s));
    const n2: LogSubscription[] = [];
    broker.listen('n2', (s) => n2.push(s));
    expect(again).toEqual([{ id, taskIds: ['a', 'b'], options: { follow: true, tail: 0 } }]);
    expect(n2).toEqual([{ id, taskIds: ['c'], options: { follow: true, tail: 0 } }]);
    expect(r.events).toEqual([
      'n2 incomplete: the node is not connected to the leader (down or unreachable)',
      "n1 incomplete: the node's log stream to the leader ended",
    ]);
    expect(r.ended()).toBe('no');
  });

  it('tells the nodes to stop when the caller goes away', () => {
    const { broker, sent } = setup('n1', 'n2');
    const sub = broker.subscribe(new Map([['n1', ['a']], ['n2', ['b']]]), { follow: true }, recorder().sink);
    const id = sent.get('n1')![0].id;
    broker.publish('n2', { subscriptionId: id, messages: [], close: true });
    sub.close();
    expect(sent.get('n1')![1]).toEqual({ id, taskIds: [], options: { follow: true }, close: true });
    expect(sent.get('n2')).toHaveLength(1);
    expect(() => broker.publish('n1', { subscriptionId: id, messages: [line('a')] })).toThrow(expect.objectContaining({ code: 'not-found' }));
  });

  it('a node that re-opens its stream loses what the old one carried', () => {
    const { broker } = setup('n1');
    const r = recorder();
    broker.subscribe(new Map([['n1', ['a']]]), { follow: false }, r.sink);
    broker.listen('n1', () => undefined);
    expect(r.events).toEqual(['n1 incomplete: the node re-opened its log stream: lines in between may be missing']);
    expect(r.ended()).toBeUndefined();
  });

  it('serves only while started, and ends every subscription with an error when stopped', () => {
    const broker = new LogBroker();
    expect(() => broker.subscribe(new Map(), { follow: false }, recorder().sink)).toThrow(expect.objectContaining({ code: 'unavailable' }));
    broker.start();
    const sent: LogSubscription[] = [];
    broker.listen('n1', (s) => sent.push(s));
    const r = recorder();
    broker.subscribe(new Map([['n1', ['a']]]), { follow: true }, r.sink);
    broker.stop();
    expect(r.ended()).toEqual(expect.objectContaining({ code: 'unavailable' }));
    expect(sent[1]).toEqual(expect.objectContaining({ close: true }));
  });
});
