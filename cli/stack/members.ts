import type { ServiceSummary } from '../../core/api/contract';
import type { Network } from '../../core/model/types';
import { stackOf } from './namespace';

/** The services of `stack` among `services` (by their namespace label), sorted by name. */
export function stackServices(services: readonly ServiceSummary[], stack: string): ServiceSummary[] {
  return services.filter((s) => stackOf(s.service.spec.labels) === stack).sort((a, b) => a.service.spec.name.localeCompare(b.service.spec.name));
}

/** The networks of `stack` among `networks` (by their namespace label), sorted by name. */
export function stackNetworks(networks: readonly Network[], stack: string): Network[] {
  return networks.filter((n) => stackOf(n.spec.labels) === stack).sort((a, b) => a.spec.name.localeCompare(b.spec.name));
}

/** One line of `stack ls` (also its `--format json` object). */
export interface StackRow {
  readonly Name: string;
  readonly Services: string;
}

/** The stacks the services belong to, with how many services each has, sorted by name. */
export function stackRows(services: readonly ServiceSummary[]): StackRow[] {
  const counts = new Map<string, number>();
  for (const s of services) {
    const stack = stackOf(s.service.spec.labels);
    if (stack !== undefined) counts.set(stack, (counts.get(stack) ?? 0) + 1);
  }
  return [...counts].sort(([a], [b]) => a.localeCompare(b)).map(([Name, n]) => ({ Name, Services: String(n) }));
}
