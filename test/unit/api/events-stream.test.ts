import { EventEmitter } from 'node:events';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import pino from 'pino';
import { ControlClient } from '../../../core/api/client';
import type { EventsMessage, EventsRequest } from '../../../core/api/contract';
import { streamEvents, type EventsCall } from '../../../core/api/events-stream';
import { InvalidPayload } from '../../../core/api/grpc-json';
import { controlImplementation, startControlServer, type ControlHandlers } from '../../../core/api/server';
import type { ClusterEvent, ScopedEvent } from '../../../core/events/cluster-events';
import { EventRing } from '../../../core/events/event-ring';
import type { OrchError } from '../../../core/errors';
import { MemoryState } from '../../../core/store/memory-state';
import { makeNode } from '../cli/fixtures';

const at = (minute: number) => `2020-11-24T10:${String(minute).padStart(2, '0')}:00.000Z`;
const ms = (minute: number) => Date.parse(at(minute));
const ev = (minute: number, type: ClusterEvent['type'] = 'service', id = `e${minute}`): ScopedEvent => ({
  event: { time: at(minute), type, action: 'create', id, name: id, attributes: {} },
  scope: { networks: [] },
});

/** A server-side call double: records what is written and whether it ended. */
class FakeCall extends EventEmitter {
  readonly written: ClusterEvent[] = [];
  ended = false;
  constructor(readonly request: unknown) {
    super();
  }
  write(e: ClusterEvent): boolean {
    this.written.push(e);
    return true;
  }
  end(): void {
    this.ended = true;
  }
}

const start = (req: unknown, ring: EventRing<ScopedEvent>, now: number) => {
  const call = new FakeCall(req);
  streamEvents(call as unknown as EventsCall, ring, () => now);
  return call;
};

describe('streamEvents', () => {
  afterEach(() => jest.useRealTimers());

  it('without a window, streams only new events, as filtered, until the call closes', () => {
    const ring = new EventRing<ScopedEvent>(100);
    ring.append([ev(1)]);
    const call = start({ filters: { type: ['service'] } }, ring, ms(2));
    ring.append([ev(3), ev(3, 'node', 'n3')]);
    call.emit('cancelled');
    ring.append([ev(4)]);
    expect(call.written.map((e) => e.id)).toEqual(['e3']);
    expect(call.ended).toBe(false);
  });

  it('with since, replays retained events from then on before new ones', () => {
    const ring = new EventRing<ScopedEvent>(100);
    ring.append([ev(1), ev(2), ev(3)]);
    const call = start({ since: at(2) }, ring, ms(4));
    ring.append([ev(5)]);
    expect(call.written.map((e) => e.id)).toEqual(['e2', 'e3', 'e5']);
  });

  it('with an until that has passed, replays the window and ends at once', () => {
    const ring = new EventRing<ScopedEvent>(100);
    ring.append([ev(1), ev(2), ev(3), ev(4)]);
    expect(start({ since: at(2), until: at(3) }, ring, ms(10))).toMatchObject({ ended: true, written: [{ id: 'e2' }, { id: 'e3' }] });
    // until alone replays from the oldest retained event.
    expect(start({ until: at(2) }, ring, ms(10)).written.map((e) => e.id)).toEqual(['e1', 'e2']);
  });

  it('with an until to come, streams until it passes, then ends', () => {
    jest.useFakeTimers();
    const ring = new EventRing<ScopedEvent>(100);
    let now = ms(0);
    const call = new FakeCall({ until: at(1) });
    streamEvents(call as unknown as EventsCall, ring, () => now);
    ring.append([ev(0)]);
    // An event stamped after until (another manager's clock) is not sent.
    ring.append([ev(2)]);
    now = ms(1) + 1;
    jest.advanceTimersByTime(60_000 + 1);
    ring.append([ev(1)]);
    expect(call.written.map((e) => e.id)).toEqual(['e0']);
    expect(call.ended).toBe(true);
  });

  it('refuses a bad request before sending anything', () => {
    const ring = new EventRing<ScopedEvent>(100);
    expect(() => start({ since: 'soon' }, ring, 0)).toThrow('invalid since: "soon" is not an ISO 8601 time');
    expect(() => start(new InvalidPayload('Unexpected token'), ring, 0)).toThrow('request is not valid JSON: Unexpected token');
  });
});

describe('the Events method over gRPC', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'orch-events-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  async function serve(role: 'manager' | 'worker', store: MemoryState) {
    const socket = path.join(dir, `${role}.sock`);
    const handlers = { Info: async () => ({ role }) } as unknown as ControlHandlers;
    const server = await startControlServer(socket, controlImplementation(handlers, store, pino({ level: 'silent' })));
    const client = new ControlClient(`unix:${socket}`);
    const events = (req: EventsRequest) =>
      new Promise<{ events: EventsMessage[]; err?: OrchError }>((resolve) => {
        const got: EventsMessage[] = [];
        client.events(req, (e) => got.push(e), (err) => resolve({ events: got, err }));
      });
    return { events, close: async () => (client.close(), await server.stop()) };
  }

  it('replays the store\'s committed changes as events and ends at until', async () => {
    const store = new MemoryState();
    store.applyChangeset(1, { at: at(0), ops: [{ op: 'create', table: 'nodes', object: makeNode('n1', { hostname: 'host1' }) }] });
    const api = await serve('manager', store);
    try {
      const { events, err } = await api.events({ since: at(0), until: at(59) });
      expect(err).toBeUndefined();
      expect(events).toEqual([{ time: at(0), type: 'node', action: 'create', id: 'n1', name: 'host1', attributes: {} }]);
      expect((await api.events({ filters: { colour: ['red'] } } as EventsRequest)).err).toMatchObject({ code: 'invalid', field: 'filters.colour' });
    } finally {
      await api.close();
    }
  });

  it('is refused on a worker, which holds no cluster state', async () => {
    const api = await serve('worker', new MemoryState());
    try {
      expect((await api.events({})).err).toMatchObject({ code: 'unavailable', message: expect.stringMatching(/not a swarm manager/) });
    } finally {
      await api.close();
    }
  });
});
