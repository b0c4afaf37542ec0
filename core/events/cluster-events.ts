import { isDeepStrictEqual } from 'node:util';
import { taskName } from '../api/task-handlers';
import type { Network, Node, Service, StoredObject, Task } from '../model/types';
import type { ChangeEvent, TableName } from '../store/contract';

/** The kinds of objects `orch events` reports on. */
export const EVENT_TYPES = ['service', 'node', 'task', 'network'] as const;
/** The kind of object an event is about. */
export type ClusterEventType = (typeof EVENT_TYPES)[number];

/** What happened to the object, as docker names it. */
export const EVENT_ACTIONS = ['create', 'update', 'remove'] as const;
/** What happened to an event's object. */
export type ClusterEventAction = (typeof EVENT_ACTIONS)[number];

/**
 * One cluster event, as `orch events` shows it. `time` is the commit time of the write (ISO); `name` is a
 * service's or network's name, a node's hostname or a task's name (`web.1`); `attributes` say what changed
 * (`state.old`/`state.new`, …) and, for tasks, their service and node.
 */
export interface ClusterEvent {
  readonly time: string;
  readonly type: ClusterEventType;
  readonly action: ClusterEventAction;
  readonly id: string;
  readonly name: string;
  readonly attributes: Readonly<Record<string, string>>;
}

/** An object an event relates to, by id and (when known) name. */
export interface EventRef {
  readonly id: string;
  readonly name?: string;
}

/** The service, node and networks an event relates to, which filters match against. */
export interface EventScope {
  readonly service?: EventRef;
  readonly node?: EventRef;
  readonly networks: readonly EventRef[];
}

/** An event with what it relates to. */
export interface ScopedEvent {
  readonly event: ClusterEvent;
  readonly scope: EventScope;
}

/** Names of nodes and networks by id, as the store knows them, for the scope of task events. */
export interface NameLookup {
  nodeName(id: string): string | undefined;
  networkName(id: string): string | undefined;
}

const TYPE_OF: Partial<Record<TableName, ClusterEventType>> = { services: 'service', nodes: 'node', tasks: 'task', networks: 'network' };

/**
 * The commit time of one committed write (the changes of one changeset): the `updatedAt` every created
 * or updated object carries. Undefined for a write that only deleted objects (a delete carries the object
 * as it was, so its times are older): the caller knows the time better.
 */
export function changesetTime(changes: readonly ChangeEvent[]): string | undefined {
  return changes.find((c) => c.kind !== 'delete')?.object.meta.updatedAt;
}

/**
 * The events of one committed write, in the order of its changes. Pure.
 *
 * - Cluster objects make no events (they are settings and CA state, not docker event types).
 * - An update makes an event only when something other than bookkeeping changed: the object's `meta`,
 *   and a node's `status.heartbeatAt`, are ignored, so a rewrite of an identical object is no event. Any
 *   other change is (a task's status message or timestamp alone is an `update` without state attributes).
 * - Updates name what changed: `state.old`/`state.new` (node readiness, task observed state),
 *   `availability.*` and `role.*` (nodes), `desiredstate.*` (tasks), `image.*` and `replicas.*` (services).
 * - Task events carry `service` (its name) and, once it has one, `node` (its node id); network events `driver`.
 *
 * @param time commit time of the write (see changesetTime)
 * @param names nodes' and networks' names, so filters can find task events by node hostname or network name
 */
export function clusterEvents(changes: readonly ChangeEvent[], time: string, names: NameLookup): ScopedEvent[] {
  const out: ScopedEvent[] = [];
  for (const change of changes) {
    const type = TYPE_OF[change.table];
    if (!type) continue;
    if (change.kind === 'update' && change.previous && !visiblyChanged(type, change.previous, change.object)) continue;
    const action: ClusterEventAction = change.kind === 'delete' ? 'remove' : change.kind;
    const before = change.kind === 'update' ? change.previous : undefined;
    const { name, attributes, scope } = describe(type, change.object, before, names);
    out.push({ event: { time, type, action, id: change.object.id, name, attributes }, scope });
  }
  return out;
}

/** What an event says about its object: its name, attributes and scope. */
interface Description {
  readonly name: string;
  readonly attributes: Record<string, string>;
  readonly scope: EventScope;
}

/** Describes `object` (and, for an update, what changed since `before`). */
function describe(type: ClusterEventType, object: StoredObject, before: StoredObject | undefined, names: NameLookup): Description {
  switch (type) {
    case 'service': {
      const s = object as Service;
      const old = before as Service | undefined;
      const attrs = old ? { ...changed('image', old.spec.task.container.image, s.spec.task.container.image), ...changed('replicas', replicas(old), replicas(s)) } : {};
      return { name: s.spec.name, attributes: attrs, scope: { service: { id: s.id, name: s.spec.name }, networks: [] } };
    }
    case 'node': {
      const n = object as Node;
      const old = before as Node | undefined;
      const attrs = old
        ? { ...changed('state', old.status.state, n.status.state), ...changed('availability', old.spec.availability, n.spec.availability), ...changed('role', old.spec.role, n.spec.role) }
        : {};
      return { name: n.description.hostname, attributes: attrs, scope: { node: { id: n.id, name: n.description.hostname }, networks: [] } };
    }
    case 'task': {
      const t = object as Task;
      const old = before as Task | undefined;
      const attrs: Record<string, string> = { service: t.serviceName, ...(t.nodeId !== undefined && { node: t.nodeId }) };
      if (old) Object.assign(attrs, changed('state', old.status.state, t.status.state), changed('desiredstate', old.desiredState, t.desiredState));
      const scope: EventScope = {
        service: { id: t.serviceId, name: t.serviceName },
        ...(t.nodeId !== undefined && { node: { id: t.nodeId, name: names.nodeName(t.nodeId) } }),
        networks: (t.networks ?? []).map((a) => ({ id: a.networkId, name: names.networkName(a.networkId) })),
      };
      return { name: taskName(t), attributes: attrs, scope };
    }
    case 'network': {
      const n = object as Network;
      return { name: n.spec.name, attributes: { driver: n.spec.driver }, scope: { networks: [{ id: n.id, name: n.spec.name }] } };
    }
  }
}

/** `key.old`/`key.new` when the value changed, else nothing. */
function changed(key: string, old: string | undefined, now: string | undefined): Record<string, string> {
  return old === now ? {} : { [`${key}.old`]: old ?? '', [`${key}.new`]: now ?? '' };
}

/** A replicated service's replica count as text; undefined for a global service. */
function replicas(s: Service): string | undefined {
  return 'replicated' in s.spec.mode ? String(s.spec.mode.replicated.replicas) : undefined;
}

/** True when an update changed more than bookkeeping (see clusterEvents). */
function visiblyChanged(type: ClusterEventType, before: StoredObject, after: StoredObject): boolean {
  return !isDeepStrictEqual(userVisible(type, before), userVisible(type, after));
}

/** An object without what users never see change: its meta and, for nodes, the heartbeat time. */
function userVisible(type: ClusterEventType, o: StoredObject): unknown {
  const { meta: _meta, ...rest } = o;
  if (type !== 'node') return rest;
  const { heartbeatAt: _hb, ...status } = (o as Node).status;
  return { ...rest, status };
}
