import type { ServiceSpec } from '../../core/model/types';
import { UsageError } from '../errors';
import type { LoadedCompose, ReadText } from './compose-load';
import { convertNetworks, type StackNetwork } from './convert-networks';
import { convertService, serviceNetworks } from './convert-service';
import { convertVolumes } from './convert-volumes';
import { keyPath } from './paths';
import { mapping } from './values';

/** What a compose file asks of the cluster: the stack's services and the networks they join. */
export interface DesiredStack {
  readonly stack: string;
  /** Sorted by name; their networks named by name (not id). */
  readonly services: readonly ServiceSpec[];
  readonly networks: readonly StackNetwork[];
}

/**
 * Converts a loaded compose document into the stack's service and network specs, everything checked
 * as the daemon will check it, so that a deploy fails before its first call rather than halfway. Pure
 * (env files are read through `read`).
 * @param home where `~/` in a bind source points.
 * @throws UsageError naming the path of the first bad value.
 */
export function convertStack(stack: string, loaded: LoadedCompose, o: { readonly home: string; readonly read: ReadText }): DesiredStack {
  const services = Object.entries(mapping(loaded.config.services, 'services'));
  if (services.length === 0) throw new UsageError('services', 'expected at least one service');
  const used = new Map<string, string>();
  for (const [name, v] of services) {
    const p = keyPath('services', name);
    for (const n of serviceNetworks(mapping(v, p), p)) if (!used.has(n.key)) used.set(n.key, keyPath(p, 'networks'));
  }
  const networks = convertNetworks(stack, loaded.config.networks, used);
  const ctx = {
    stack,
    lookup: loaded.lookup,
    read: o.read,
    workingDir: loaded.workingDir,
    home: o.home,
    volumes: convertVolumes(stack, loaded.config.volumes),
    networks: new Map(networks.map((n) => [n.key, n.name])),
  };
  const specs = services.map(([name, v]) => convertService(name, v, ctx));
  return { stack, services: specs.sort((a, b) => a.name.localeCompare(b.name)), networks };
}
