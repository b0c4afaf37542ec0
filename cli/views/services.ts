import type { ServiceSummary } from '../../core/api/contract';
import { shortId } from '../../core/model/ids';
import type { Column } from '../format/output';
import { formatPorts } from '../format/ports';

/** One line of `service ls` (also its `--format json` object). */
export interface ServiceRow {
  readonly ID: string;
  readonly Name: string;
  readonly Mode: 'replicated' | 'global';
  readonly Replicas: string;
  readonly Image: string;
  readonly Ports: string;
}

/** Columns of `service ls`. */
export const SERVICE_COLUMNS: readonly Column<ServiceRow>[] = [
  { header: 'ID', value: (r) => r.ID },
  { header: 'NAME', value: (r) => r.Name },
  { header: 'MODE', value: (r) => r.Mode },
  { header: 'REPLICAS', value: (r) => r.Replicas },
  { header: 'IMAGE', value: (r) => r.Image },
  { header: 'PORTS', value: (r) => r.Ports },
];

/** The row of one service: replicas as `running/desired`, ports of the routing mesh as `*:8080->80/tcp`. */
export function serviceRow({ service, running, desired }: ServiceSummary): ServiceRow {
  return {
    ID: shortId(service.id),
    Name: service.spec.name,
    Mode: 'global' in service.spec.mode ? 'global' : 'replicated',
    Replicas: `${running}/${desired}`,
    Image: service.spec.task.container.image,
    Ports: formatPorts(service.endpoint.ports.filter((p) => p.publishMode === 'ingress')),
  };
}
