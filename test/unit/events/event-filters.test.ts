import type { ScopedEvent } from '../../../core/events/cluster-events';
import { matchesFilters } from '../../../core/events/event-filters';

const T = '2026-11-24T10:00:00.000Z';
const serviceEvent: ScopedEvent = {
  event: { time: T, type: 'service', action: 'create', id: 'svc123', name: 'web', attributes: {} },
  scope: { service: { id: 'svc123', name: 'web' }, networks: [] },
};
const taskEvent: ScopedEvent = {
  event: { time: T, type: 'task', action: 'update', id: 'task9', name: 'web.1', attributes: { service: 'web', node: 'node77' } },
  scope: { service: { id: 'svc123', name: 'web' }, node: { id: 'node77', name: 'host1' }, networks: [{ id: 'net5', name: 'backend' }] },
};
const nodeEvent: ScopedEvent = {
  event: { time: T, type: 'node', action: 'update', id: 'node77', name: 'host1', attributes: {} },
  scope: { node: { id: 'node77', name: 'host1' }, networks: [] },
};
const all = [serviceEvent, taskEvent, nodeEvent];
const passing = (filters: Parameters<typeof matchesFilters>[1]) => all.filter((e) => matchesFilters(e, filters)).map((e) => e.event.id);

describe('matchesFilters', () => {
  it('passes everything without filters', () => {
    expect(passing({})).toEqual(['svc123', 'task9', 'node77']);
    expect(passing({ type: [] })).toEqual(['svc123', 'task9', 'node77']);
  });

  it('matches type and event (the action); values of one key are alternatives', () => {
    expect(passing({ type: ['task', 'node'] })).toEqual(['task9', 'node77']);
    expect(passing({ event: ['create'] })).toEqual(['svc123']);
  });

  it('matches a service by name, id or id prefix, on service and task events', () => {
    for (const ref of ['web', 'svc123', 'svc']) expect(passing({ service: [ref] })).toEqual(['svc123', 'task9']);
    expect(passing({ service: ['we'] })).toEqual([]);
  });

  it('matches a node by hostname or id on node and task events, and a network on tasks attached to it', () => {
    expect(passing({ node: ['host1'] })).toEqual(['task9', 'node77']);
    expect(passing({ node: ['node7'] })).toEqual(['task9', 'node77']);
    expect(passing({ network: ['backend'] })).toEqual(['task9']);
  });

  it('needs every key to match', () => {
    expect(passing({ service: ['web'], type: ['service'] })).toEqual(['svc123']);
    expect(passing({ node: ['host1'], event: ['create'] })).toEqual([]);
  });
});
