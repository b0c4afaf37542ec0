import { Counter, Gauge, type Registry } from 'prom-client';
import type { DnsStats } from '../net-ingress/dns/dns-server';
import type { ServiceStats } from '../net-ingress';

/** Where this node's mesh figures come from; each is undefined while the node has no such part. */
export interface MeshSources {
  /** Traffic per service through the routing mesh (net-ingress `IngressMesh.stats()`). */
  readonly services: () => readonly ServiceStats[] | undefined;
  /** DNS queries per network id (net-ingress `NetworkResolvers.stats()`). */
  readonly dns: () => Readonly<Record<string, DnsStats>> | undefined;
  /** The name of a network, by id (its id when unknown). */
  readonly networkName: (id: string) => string;
}

/** A mesh counter and the field of a service's stats it shows. */
const SERVICE_COUNTERS: readonly (readonly [name: string, help: string, field: 'connectionsTotal' | 'connectionsFailed' | 'bytesIn' | 'bytesOut'])[] = [
  ['orch_mesh_connections_total', 'TCP connections and UDP flows the routing mesh on this node accepted, by service.', 'connectionsTotal'],
  ['orch_mesh_connections_failed_total', 'Connections the routing mesh on this node closed because no task of the service could be reached, by service.', 'connectionsFailed'],
  ['orch_mesh_bytes_in_total', 'Bytes from clients to the service through the routing mesh on this node, by service.', 'bytesIn'],
  ['orch_mesh_bytes_out_total', 'Bytes from the service to clients through the routing mesh on this node, by service.', 'bytesOut'],
];

/** DNS outcomes: the label `result` and the field of the stats it counts. */
const DNS_RESULTS: readonly (keyof DnsStats)[] = ['local', 'forwarded', 'failed', 'malformed'];

/**
 * Registers the node's routing-mesh figures, read at scrape time: connections and bytes per service
 * (label `service`, the service's name) and DNS queries per network (label `network`, its name) and
 * result (`local`: answered from the cluster's names, `forwarded` upstream, `failed`: SERVFAIL,
 * `malformed`: not a query). Counts start with the node (the mesh's and DNS servers' own counters).
 */
export function registerMeshMetrics(registry: Registry, sources: MeshSources): void {
  const registers = [registry];
  for (const [name, help, field] of SERVICE_COUNTERS) {
    new Counter({
      name,
      help,
      labelNames: ['service'],
      registers,
      collect() {
        this.reset();
        for (const s of sources.services() ?? []) this.inc({ service: s.serviceName }, s[field]);
      },
    });
  }
  new Gauge({
    name: 'orch_mesh_connections_active',
    help: 'TCP connections and UDP flows open through the routing mesh on this node, by service.',
    labelNames: ['service'],
    registers,
    collect() {
      this.reset();
      for (const s of sources.services() ?? []) this.inc({ service: s.serviceName }, s.connectionsActive);
    },
  });
  new Counter({
    name: 'orch_dns_queries_total',
    help: "Queries the DNS servers of this node's networks answered, by network and result (local, forwarded, failed, malformed).",
    labelNames: ['network', 'result'],
    registers,
    collect() {
      this.reset();
      for (const [id, stats] of Object.entries(sources.dns() ?? {})) {
        for (const result of DNS_RESULTS) this.inc({ network: sources.networkName(id), result }, stats[result]);
      }
    },
  });
}
