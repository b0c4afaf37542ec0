import { isDeepStrictEqual } from 'node:util';
import { endpointPorts, withNextSpec } from '../allocator/service-endpoint';
import { OrchError, ValidationError } from '../errors';
import type { Hooks } from '../hooks';
import { int, obj, opt, str, type Json } from '../model/check';
import { newId } from '../model/ids';
import { parseServiceSpec, replicasOf } from '../model/service-spec';
import type { Service, ServiceSpec } from '../model/types';
import { rolledBack } from '../orchestrator/rollback';
import type { ClusterStore, StoreReader } from '../store/contract';
import { updateRetrying } from '../store/update-retrying';
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
  const { live, running } = r.tasks.countsOf(s.id);
  return { service: s, running, desired: replicasOf(s.spec) ?? live };
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

/** The other services, read when asked (port allocation scans them only for a spec that publishes ports). */
function othersOf(r: StoreReader, service: Service): () => Service[] {
  return () => r.services.all().filter((s) => s.id !== service.id);
}

/**
 * The service `ref` names, as of store `version` when one is given.
 * @throws OrchError(conflict) when it changed since that version was read.
 */
function readAt(r: StoreReader, ref: string, version: number | undefined): Service {
  const s = findService(r, ref);
  if (version !== undefined && version !== s.meta.version) {
    throw new OrchError('conflict', `service ${s.spec.name} changed since it was read (version ${version}, now ${s.meta.version}); retry`, 'version');
  }
  return s;
}

/** Whether two specs say the same (fields left undefined count as absent, as once stored). */
function sameSpec(a: ServiceSpec, b: ServiceSpec): boolean {
  return isDeepStrictEqual(JSON.parse(JSON.stringify(a)), JSON.parse(JSON.stringify(b)));
}

/** Handlers of the read-only service methods: `service ls` and `service inspect`. */
export function serviceReadHandlers(store: Pick<ClusterStore, 'view'>) {
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
  return { ServiceList, ServiceInspect };
}

/** Handlers of the service methods of the control API. */
export function serviceHandlers(store: ClusterStore, hooks: Hooks, preflight: SpecPreflight) {
  const ServiceCreate: Handler<'ServiceCreate'> = async (req) => {
    const spec = await checkSpec(obj(req, 'request').spec, hooks, preflight);
    const result = await updateRetrying(store, (tx) => {
      if (tx.services.byName(spec.name)) throw new OrchError('conflict', `a service named "${spec.name}" already exists`, 'name');
      const stored = storedSpec(tx, spec);
      const service = { id: newId(), spec: stored, specVersion: 1, endpoint: { mode: spec.endpoint.mode ?? 'vip', ports: endpointPorts(stored, () => tx.services.all()) } };
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
    const result = await updateRetrying(store, (tx) => {
      const s = readAt(tx, ref, version);
      if (spec.name !== s.spec.name) throw new ValidationError('name', `a service cannot be renamed: expected "${s.spec.name}", got "${spec.name}"`);
      const stored = storedSpec(tx, spec);
      if (sameSpec(stored, s.spec)) return s.id;
      tx.services.update(withNextSpec(s, stored, othersOf(tx, s)));
      return s.id;
    });
    return { service: store.view((r) => r.services.get(result)!) };
  };

  const ServiceRollback: Handler<'ServiceRollback'> = async (req) => {
    const o = obj(req, 'request');
    const ref = str(o.ref, 'ref', { nonEmpty: true });
    const version = opt(o.version, 'version', (v, f) => int(v, f, 0));
    const result = await updateRetrying(store, (tx) => {
      const s = readAt(tx, ref, version);
      tx.services.update(rolledBack(s, othersOf(tx, s), { message: 'manually requested rollback', at: new Date() }));
      return s.id;
    });
    return { service: store.view((r) => r.services.get(result)!) };
  };

  const ServiceScale: Handler<'ServiceScale'> = async (req) => {
    const o = obj(req, 'request');
    const ref = str(o.ref, 'ref', { nonEmpty: true });
    const replicas = int(o.replicas, 'replicas', 0, 100_000);
    const result = await updateRetrying(store, (tx) => {
      const s = findService(tx, ref);
      if (!('replicated' in s.spec.mode)) throw new ValidationError('replicas', `service ${s.spec.name} is global: scale works only on replicated services`);
      if (s.spec.mode.replicated.replicas === replicas) return s.id;
      tx.services.update(withNextSpec(s, { ...s.spec, mode: { replicated: { replicas } } }, othersOf(tx, s)));
      return s.id;
    });
    return { service: store.view((r) => r.services.get(result)!) };
  };

  const ServiceRemove: Handler<'ServiceRemove'> = async (req) => {
    const ref = str(obj(req, 'request').ref, 'ref', { nonEmpty: true });
    const result = await updateRetrying(store, (tx) => {
      const s = findService(tx, ref);
      tx.services.delete(s.id);
      return s.id;
    });
    return { id: result };
  };

  return { ServiceCreate, ...serviceReadHandlers(store), ServiceScale, ServiceUpdate, ServiceRollback, ServiceRemove };
}
