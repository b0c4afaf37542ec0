import { isDeepStrictEqual } from 'node:util';
import { allocatePorts } from '../allocator/ports';
import { OrchError, ValidationError } from '../errors';
import type { Hooks } from '../hooks';
import { int, obj, opt, str, type Json } from '../model/check';
import { newId } from '../model/ids';
import { parseServiceSpec, replicasOf } from '../model/service-spec';
import type { PortConfig, Service, ServiceEndpoint, ServiceSpec } from '../model/types';
import type { ClusterStore, StoreReader, WriteTx } from '../store/contract';
import type { ControlApi, ServiceSummary } from './contract';
import { resolveAttachments } from './network-handlers';
import { resolveRef } from './resolve';

/** Checks run before a service is written that need the outside world (e.g. the image exists). */
export type SpecPreflight = (spec: ServiceSpec) => Promise<void>;

/** A control API handler: untrusted JSON in, the method's response out. */
export type Handler<M extends keyof ControlApi> = (req: Json) => Promise<ControlApi[M]['res']>;

export function findService(r: StoreReader, ref: string): Service {
  return resolveRef('service', ref, r.services.all(), (s) => s.spec.name);
}

function summarize(r: StoreReader, s: Service): ServiceSummary {
  const tasks = r.tasks.byService(s.id).filter((t) => t.desiredState === 'running');
  const running = tasks.filter((t) => t.status.state === 'running').length;
  return { service: s, running, desired: replicasOf(s.spec) ?? tasks.length };
}

/** Validates a spec fully: shape and defaults, then every `service.validate` tap, then the preflight. */
async function checkSpec(input: Json, hooks: Hooks, preflight: SpecPreflight): Promise<ServiceSpec> {
  const spec = parseServiceSpec(input);
  const refusal = hooks.service.validate.call(spec);
  if (refusal !== undefined) throw new OrchError('invalid', refusal);
  await preflight(spec);
  return spec;
}

/** The spec as the store keeps it: its networks named by id. @throws ValidationError naming `networks[i].target`. */
function storedSpec(r: StoreReader, spec: ServiceSpec): ServiceSpec {
  return spec.networks ? { ...spec, networks: resolveAttachments(r, spec.networks) } : spec;
}

/**
 * Ports of an updated spec with the published ports they had: a port asking for any published port
 * (0) keeps the one allocated before to a port of the same protocol, target port and publish mode,
 * each old port going to one new port at most. Pure.
 * @param previous the service's allocated ports (its endpoint's).
 */
export function keepPublishedPorts(ports: readonly PortConfig[], previous: readonly PortConfig[]): PortConfig[] {
  const left = [...previous];
  return ports.map((p) => {
    if (p.publishedPort !== 0) return p;
    const at = left.findIndex((q) => q.protocol === p.protocol && q.targetPort === p.targetPort && q.publishMode === p.publishMode);
    if (at < 0) return p;
    const [kept] = left.splice(at, 1);
    return { ...p, publishedPort: kept.publishedPort };
  });
}

/** The published ports of `spec`, allocated against every other service (`current`: the service it updates). */
function endpointPorts(tx: WriteTx, spec: ServiceSpec, current?: Service): PortConfig[] {
  const ports = current ? keepPublishedPorts(spec.endpoint.ports, current.endpoint.ports) : spec.endpoint.ports;
  // Only a service that publishes ports needs to see the others' (a scan of every service).
  return ports.length === 0 ? [] : allocatePorts(ports, tx.services.all().filter((s) => s.id !== current?.id));
}

/**
 * The endpoint of a service updated to `spec`: its ports, and the virtual IPs it keeps (those on
 * networks it stays on, in vip mode only; the allocator adds the missing ones). Pure.
 */
export function updatedEndpoint(current: Service, spec: ServiceSpec, ports: readonly PortConfig[]): ServiceEndpoint {
  const mode = spec.endpoint.mode ?? 'vip';
  const stays = new Set((spec.networks ?? []).map((n) => n.target));
  const virtualIps = mode === 'vip' ? (current.endpoint.virtualIps ?? []).filter((v) => stays.has(v.networkId)) : [];
  return { mode, ports, virtualIps };
}

/** Whether two specs say the same (fields left undefined count as absent, as once stored). */
function sameSpec(a: ServiceSpec, b: ServiceSpec): boolean {
  return isDeepStrictEqual(JSON.parse(JSON.stringify(a)), JSON.parse(JSON.stringify(b)));
}

/** Handlers of the service methods of the control API. */
export function serviceHandlers(store: ClusterStore, hooks: Hooks, preflight: SpecPreflight) {
  const ServiceCreate: Handler<'ServiceCreate'> = async (req) => {
    const spec = await checkSpec(obj(req, 'request').spec, hooks, preflight);
    const { result } = await store.update((tx) => {
      if (tx.services.byName(spec.name)) throw new OrchError('conflict', `a service named "${spec.name}" already exists`, 'name');
      const stored = storedSpec(tx, spec);
      const service = { id: newId(), spec: stored, specVersion: 1, endpoint: { mode: spec.endpoint.mode ?? 'vip', ports: endpointPorts(tx, stored) } };
      tx.services.create(service);
      return service.id;
    });
    return { service: store.view((r) => r.services.get(result)!) };
  };

  const ServiceUpdate: Handler<'ServiceUpdate'> = async (req) => {
    const o = obj(req, 'request');
    const ref = str(o.ref, 'ref', { nonEmpty: true });
    const version = opt(o.version, 'version', (v, f) => int(v, f, 0));
    const spec = await checkSpec(o.spec, hooks, preflight);
    const { result } = await store.update((tx) => {
      const s = findService(tx, ref);
      if (spec.name !== s.spec.name) throw new ValidationError('name', `a service cannot be renamed: expected "${s.spec.name}", got "${spec.name}"`);
      if (version !== undefined && version !== s.meta.version) {
        throw new OrchError('conflict', `service ${s.spec.name} changed since it was read (version ${version}, now ${s.meta.version}); retry`, 'version');
      }
      const stored = storedSpec(tx, spec);
      if (sameSpec(stored, s.spec)) return s.id;
      const endpoint = updatedEndpoint(s, stored, endpointPorts(tx, stored, s));
      tx.services.update({ ...s, spec: stored, previousSpec: s.spec, specVersion: s.specVersion + 1, endpoint });
      return s.id;
    });
    return { service: store.view((r) => r.services.get(result)!) };
  };

  const ServiceList: Handler<'ServiceList'> = async (req) => {
    const filters = obj(obj(req, 'request').filters ?? {}, 'filters') as NonNullable<ControlApi['ServiceList']['req']['filters']>;
    const services = store.view((r) =>
      r.services
        .all()
        .filter((s) => !filters.name || filters.name.some((n) => s.spec.name.includes(n)))
        .filter((s) => !filters.id || filters.id.some((id) => s.id.startsWith(id)))
        .filter((s) => !filters.mode || filters.mode.includes('global' in s.spec.mode ? 'global' : 'replicated'))
        .map((s) => summarize(r, s)),
    );
    services.sort((a, b) => a.service.spec.name.localeCompare(b.service.spec.name));
    return { services };
  };

  const ServiceInspect: Handler<'ServiceInspect'> = async (req) => {
    const ref = str(obj(req, 'request').ref, 'ref', { nonEmpty: true });
    return { service: store.view((r) => findService(r, ref)) };
  };

  const ServiceScale: Handler<'ServiceScale'> = async (req) => {
    const o = obj(req, 'request');
    const ref = str(o.ref, 'ref', { nonEmpty: true });
    const replicas = int(o.replicas, 'replicas', 0, 100_000);
    const { result } = await store.update((tx) => {
      const s = findService(tx, ref);
      if (!('replicated' in s.spec.mode)) throw new ValidationError('replicas', `service ${s.spec.name} is global: scale works only on replicated services`);
      if (s.spec.mode.replicated.replicas === replicas) return s.id;
      const spec = { ...s.spec, mode: { replicated: { replicas } } };
      tx.services.update({ ...s, spec, previousSpec: s.spec });
      return s.id;
    });
    return { service: store.view((r) => r.services.get(result)!) };
  };

  const ServiceRemove: Handler<'ServiceRemove'> = async (req) => {
    const ref = str(obj(req, 'request').ref, 'ref', { nonEmpty: true });
    const { result } = await store.update((tx) => {
      const s = findService(tx, ref);
      tx.services.delete(s.id);
      return s.id;
    });
    return { id: result };
  };

  return { ServiceCreate, ServiceList, ServiceInspect, ServiceScale, ServiceUpdate, ServiceRemove };
}
