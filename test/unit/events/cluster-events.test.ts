import { changesetTime, clusterEvents, type NameLookup } from '../../../core/events/cluster-events';
import type { Network, StoredObject } from '../../../core/model/types';
import type { ChangeEvent, TableName } from '../../../core/store/contract';
import { makeNode, makeService, makeTask } from '../cli/fixtures';

const T = '2026-11-24T10:00:00.000Z';
const names: NameLookup = { nodeName: (id) => (id === 'n1' ? 'host1' : undefined), networkName: (id) => (id === 'net1' ? 'backend' : undefined) };
const stamped = <O extends StoredObject>(o: O, version = 2, updatedAt = T): O => ({ ...o, meta: { ...o.meta, version, updatedAt } });

const create = <O extends StoredObject>(table: TableName, object: O): ChangeEvent => ({ table, kind: 'create', object: stamped(object), version: 2 });
const update = <O extends StoredObject>(table: TableName, previous: O, object: O): ChangeEvent => ({ table, kind: 'update', previous, object: stamped(object), version: 2 });
const remove = (table: TableName, object: StoredObject): ChangeEvent => ({ table, kind: 'delete', object, version: 2 });
const events = (...changes: ChangeEvent[]) => clusterEvents(changes, T, names).map((s) => s.event);

const network: Network = { id: 'net1', meta: { version: 1, createdAt: T, updatedAt: T }, spec: { name: 'backend', driver: 'overlay', labels: {}, attachable: false }, subnet: '10.0.1.0/24', gateway: '10.0.1.1' };

describe('changesetTime', () => {
  it('is the commit time the written objects carry', () => {
    expect(changesetTime([remove('tasks', makeTask()), create('services', makeService('web'))])).toBe(T);
  });

  it('is unknown for a write that only deleted (a deleted object carries older times)', () => {
    expect(changesetTime([remove('services', makeService('web'))])).toBeUndefined();
  });
});

describe('clusterEvents', () => {
  it('reports service create, update and remove by name, with the image and replicas that changed', () => {
    const web = makeService('web', { replicas: 1 });
    const scaled = { ...web, spec: { ...web.spec, mode: { replicated: { replicas: 3 } } } };
    const reimaged = { ...scaled, spec: { ...scaled.spec, task: { ...scaled.spec.task, container: { ...scaled.spec.task.container, image: 'nginx' } } } };
    expect(events(create('services', web))).toEqual([{ time: T, type: 'service', action: 'create', id: web.id, name: 'web', attributes: {} }]);
    expect(events(update('services', web, scaled))[0]).toMatchObject({ action: 'update', attributes: { 'replicas.old': '1', 'replicas.new': '3' } });
    expect(events(update('services', scaled, reimaged))[0].attributes).toEqual({ 'image.old': 'busybox', 'image.new': 'nginx' });
    expect(events(remove('services', web))).toEqual([{ time: T, type: 'service', action: 'remove', id: web.id, name: 'web', attributes: {} }]);
  });

  it('reports a service update without attributes when only other parts changed (the allocator\'s virtual IPs)', () => {
    const web = makeService('web');
    const allocated = { ...web, endpoint: { ...web.endpoint, virtualIps: [{ networkId: 'net1', addr: '10.0.1.2' }] } };
    expect(events(update('services', web, allocated))).toEqual([{ time: T, type: 'service', action: 'update', id: web.id, name: 'web', attributes: {} }]);
  });

  it('reports node readiness, availability and role changes as updates with old and new values', () => {
    const n = makeNode('n1', { hostname: 'host1' });
    const down = { ...n, status: { ...n.status, state: 'down' as const } };
    const drained = { ...n, spec: { ...n.spec, availability: 'drain' as const, role: 'manager' as const } };
    expect(events(create('nodes', n))).toEqual([{ time: T, type: 'node', action: 'create', id: 'n1', name: 'host1', attributes: {} }]);
    expect(events(update('nodes', n, down))[0].attributes).toEqual({ 'state.old': 'ready', 'state.new': 'down' });
    expect(events(update('nodes', n, drained))[0].attributes).toEqual({ 'availability.old': 'active', 'availability.new': 'drain', 'role.old': 'worker', 'role.new': 'manager' });
    expect(events(remove('nodes', n))[0]).toMatchObject({ action: 'remove', name: 'host1' });
  });

  it('ignores writes that change only bookkeeping: meta, a node\'s heartbeat time', () => {
    const n = makeNode('n1');
    const beat = { ...n, status: { ...n.status, heartbeatAt: T } };
    const web = makeService('web');
    expect(events(update('nodes', n, beat), update('services', web, { ...web }))).toEqual([]);
  });

  it('reports task state changes with the task\'s service and node', () => {
    const t = makeTask({ slot: 1, state: 'assigned', nodeId: 'n1' });
    const running = { ...t, status: { ...t.status, state: 'running' as const, message: 'started' } };
    const stopping = { ...running, desiredState: 'shutdown' as const };
    expect(events(create('tasks', { ...t, nodeId: undefined, status: { ...t.status, state: 'new' } }))).toEqual([
      { time: T, type: 'task', action: 'create', id: t.id, name: 'web.1', attributes: { service: 'web' } },
    ]);
    expect(events(update('tasks', t, running))).toEqual([
      { time: T, type: 'task', action: 'update', id: t.id, name: 'web.1', attributes: { service: 'web', node: 'n1', 'state.old': 'assigned', 'state.new': 'running' } },
    ]);
    expect(events(update('tasks', running, stopping))[0].attributes).toEqual({ service: 'web', node: 'n1', 'desiredstate.old': 'running', 'desiredstate.new': 'shutdown' });
    expect(events(remove('tasks', running))[0]).toMatchObject({ action: 'remove', name: 'web.1', attributes: { service: 'web', node: 'n1' } });
  });

  it('names a global task by its node, and reports a status-only change (message, timestamp) without state attributes', () => {
    const t = makeTask({ nodeId: 'n1', state: 'running' });
    const touched = { ...t, status: { ...t.status, timestamp: T } };
    expect(events(update('tasks', t, touched))).toEqual([{ time: T, type: 'task', action: 'update', id: t.id, name: 'web.n1', attributes: { service: 'web', node: 'n1' } }]);
  });

  it('reports networks with their driver', () => {
    expect(events(create('networks', network), remove('networks', network))).toEqual([
      { time: T, type: 'network', action: 'create', id: 'net1', name: 'backend', attributes: { driver: 'overlay' } },
      { time: T, type: 'network', action: 'remove', id: 'net1', name: 'backend', attributes: { driver: 'overlay' } },
    ]);
  });

  it('makes no events for the cluster object', () => {
    const cluster = { id: 'c', meta: { version: 1, createdAt: T, updatedAt: T }, name: 'default', settings: { taskHistoryLimit: 5, dispatcherHeartbeatMs: 5000 } };
    expect(events(update('clusters', cluster, { ...cluster, settings: { ...cluster.settings, taskHistoryLimit: 3 } }))).toEqual([]);
  });

  it('scopes each event to its service, node and networks, naming them through the lookup', () => {
    const t = { ...makeTask({ slot: 1, nodeId: 'n1' }), networks: [{ networkId: 'net1', addr: '10.0.1.3' }, { networkId: 'net2', addr: '10.0.2.3' }] };
    const [task] = clusterEvents([create('tasks', t)], T, names);
    expect(task.scope).toEqual({
      service: { id: 'id-web', name: 'web' },
      node: { id: 'n1', name: 'host1' },
      networks: [
        { id: 'net1', name: 'backend' },
        { id: 'net2', name: undefined },
      ],
    });
    const [node] = clusterEvents([create('nodes', makeNode('n2'))], T, names);
    expect(node.scope).toEqual({ node: { id: 'n2', name: 'host-n2' }, networks: [] });
    const [net] = clusterEvents([create('networks', network)], T, names);
    expect(net.scope).toEqual({ networks: [{ id: 'net1', name: 'backend' }] });
  });
});
