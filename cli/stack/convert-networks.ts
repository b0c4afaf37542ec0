import { ValidationError } from '../../core/errors';
import { parseNetworkSpec } from '../../core/model/network-spec';
import type { NetworkSpec } from '../../core/model/types';
import { explanation, UsageError } from '../errors';
import { withNamespace } from './namespace';
import { itemPath, keyPath } from './paths';
import { topLevelEntry } from './top-level';
import { choice, flag, labels, list, mapping, text } from './values';

/** A network the stack's services join: one to create (with its spec), or an external one that must exist. */
export interface StackNetwork {
  /** Its key in the compose file (`default`, `front`). */
  readonly key: string;
  /** Its name in the cluster. */
  readonly name: string;
  /** The spec to create it with; undefined for an external network. */
  readonly spec?: NetworkSpec;
}

/** Which compose key sets which network spec field, to name the key when the spec check refuses it. */
const FIELD_KEYS: Readonly<Record<string, string>> = { name: 'name', driver: 'driver', labels: 'labels', attachable: 'attachable', subnet: 'ipam.config[0].subnet', options: 'driver_opts' };

/** The subnet an `ipam` section asks for: at most one `config` entry, with the default IPAM driver. */
function subnetOf(ipam: unknown, path: string): string | undefined {
  const o = mapping(ipam, path);
  if (o.driver !== undefined) choice(o.driver, keyPath(path, 'driver'), ['default']);
  const configs = list(o.config, keyPath(path, 'config'));
  if (configs.length > 1) throw new UsageError(itemPath(keyPath(path, 'config'), 1), 'orch gives a network one subnet: expected one config entry');
  const subnet = mapping(configs[0], itemPath(keyPath(path, 'config'), 0)).subnet;
  return subnet === undefined ? undefined : text(subnet, `${path}.config[0].subnet`);
}

/** The spec of a network the stack creates, checked as the daemon will check it. */
function networkSpec(stack: string, name: string, entry: Readonly<Record<string, unknown>>, path: string): NetworkSpec {
  const subnet = entry.ipam === undefined ? undefined : subnetOf(entry.ipam, keyPath(path, 'ipam'));
  const spec = {
    name,
    driver: entry.driver === undefined ? 'overlay' : text(entry.driver, keyPath(path, 'driver')),
    labels: withNamespace(stack, labels(entry.labels, keyPath(path, 'labels'))),
    attachable: entry.attachable !== undefined && flag(entry.attachable, keyPath(path, 'attachable')),
    ...(subnet !== undefined && { subnet }),
    ...(entry.driver_opts !== undefined && { options: labels(entry.driver_opts, keyPath(path, 'driver_opts')) }),
  };
  try {
    return parseNetworkSpec(spec);
  } catch (err) {
    if (!(err instanceof ValidationError)) throw err;
    throw new UsageError(keyPath(path, FIELD_KEYS[err.field?.split('.')[0] ?? ''] ?? err.field ?? ''), explanation(err));
  }
}

/**
 * The networks the stack's services join (`used`: their compose keys), from the top-level `networks`:
 * each named `STACK_key` unless external or given a `name`, labelled with the stack's namespace. The
 * `default` network needs no declaration. Pure.
 * @throws UsageError naming the path of a bad setting, or of a service's undeclared network.
 */
export function convertNetworks(stack: string, networks: unknown, used: ReadonlyMap<string, string>): StackNetwork[] {
  const declared = mapping(networks, 'networks');
  return [...used].map(([key, usedAt]) => {
    if (!Object.hasOwn(declared, key) && key !== 'default') throw new UsageError(usedAt, `network "${key}" is not declared under the top-level networks`);
    const path = keyPath('networks', key);
    const { name, external, entry } = topLevelEntry('network', stack, key, declared[key]);
    return external ? { key, name } : { key, name, spec: networkSpec(stack, name, entry, path) };
  });
}
