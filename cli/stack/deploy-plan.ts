import { OrchError } from '../../core/errors';
import { parseServiceSpec } from '../../core/model/service-spec';
import type { Network, NetworkSpec, Service, ServiceSpec } from '../../core/model/types';
import type { StackNetwork } from './convert-networks';
import type { DesiredStack } from './convert-stack';
import { stackOf } from './namespace';

/** The cluster as a deploy finds it: every service and every network. */
export interface CurrentState {
  readonly services: readonly Service[];
  readonly networks: readonly Network[];
}

/** A service whose spec changes: sent as ServiceUpdate with the store version it was read at. */
export interface ServiceChange {
  readonly id: string;
  readonly version: number;
  readonly spec: ServiceSpec;
}

/** What a deploy does, in order: remove pruned services, create missing networks, create and update services. */
export interface DeployPlan {
  readonly remove: readonly Service[];
  readonly createNetworks: readonly NetworkSpec[];
  readonly create: readonly ServiceSpec[];
  readonly update: readonly ServiceChange[];
  /** Names of services already as the files describe them. */
  readonly unchanged: readonly string[];
  /** Networks that exist with other settings than the files give them (left as they are). */
  readonly warnings: readonly string[];
}

/** JSON with object keys sorted, so that specs compare by content. */
function canonicalJson(v: unknown): string {
  return JSON.stringify(v, (_key, x: unknown) =>
    typeof x === 'object' && x !== null && !Array.isArray(x) ? Object.fromEntries(Object.entries(x).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : x,
  );
}

/** A stored spec with its networks named by name again (the store keeps ids; a file names networks). */
function byNetworkName(spec: ServiceSpec, networks: readonly Network[]): ServiceSpec {
  if (!spec.networks) return spec;
  const names = new Map(networks.map((n) => [n.id, n.spec.name]));
  return { ...spec, networks: spec.networks.map((n) => ({ ...n, target: names.get(n.target) ?? n.target })) };
}

/** Whether an existing network differs from the spec a file gives it (driver, labels, attachable, options, subnet). */
function networkDiffers(existing: Network, spec: NetworkSpec): boolean {
  const want = { driver: spec.driver, labels: spec.labels, attachable: spec.attachable, options: spec.options ?? {}, subnet: spec.subnet ?? existing.subnet };
  const have = { driver: existing.spec.driver, labels: existing.spec.labels, attachable: existing.spec.attachable, options: existing.spec.options ?? {}, subnet: existing.subnet };
  return canonicalJson(want) !== canonicalJson(have);
}

function planNetworks(networks: readonly StackNetwork[], current: readonly Network[]): { create: NetworkSpec[]; warnings: string[] } {
  const create: NetworkSpec[] = [];
  const warnings: string[] = [];
  for (const n of networks) {
    const existing = current.find((c) => c.spec.name === n.name);
    if (!n.spec) {
      if (!existing) throw new OrchError('not-found', `network "${n.name}" is declared as external, but could not be found: create it first ("orch network create ${n.name}")`);
    } else if (!existing) create.push(n.spec);
    else if (networkDiffers(existing, n.spec)) warnings.push(`network ${n.name} exists with other settings than networks.${n.key} gives it: leaving it as it is`);
  }
  return { create, warnings };
}

/**
 * Plans a deploy: the networks to create, the services to create, the services whose spec differs from
 * the files (compared after the spec check's normalisation, networks by name, keeping the current
 * `forceUpdate` so an unchanged service is not restarted) and, with `prune`, the stack's services the
 * files no longer have. Pure.
 * @throws OrchError when an external network is missing, or a service of that name belongs to no or another stack.
 */
export function planDeploy(desired: DesiredStack, current: CurrentState, o: { readonly prune: boolean }): DeployPlan {
  const { create: createNetworks, warnings } = planNetworks(desired.networks, current.networks);
  const create: ServiceSpec[] = [];
  const update: ServiceChange[] = [];
  const unchanged: string[] = [];
  for (const spec of desired.services) {
    const existing = current.services.find((s) => s.spec.name === spec.name);
    if (!existing) {
      create.push(spec);
      continue;
    }
    const owner = stackOf(existing.spec.labels);
    if (owner !== desired.stack) throw new OrchError('conflict', `service ${spec.name} exists and belongs to ${owner === undefined ? 'no stack' : `stack ${owner}`}: remove it or choose another stack name`);
    const forceUpdate = existing.spec.task.forceUpdate;
    const next = parseServiceSpec({ ...spec, task: { ...spec.task, ...(forceUpdate !== undefined && { forceUpdate }) } });
    if (canonicalJson(next) === canonicalJson(parseServiceSpec(byNetworkName(existing.spec, current.networks)))) unchanged.push(spec.name);
    else update.push({ id: existing.id, version: existing.meta.version, spec: next });
  }
  const wanted = new Set(desired.services.map((s) => s.name));
  const remove = o.prune ? current.services.filter((s) => stackOf(s.spec.labels) === desired.stack && !wanted.has(s.spec.name)) : [];
  return { remove, createNetworks, create, update, unchanged, warnings };
}
