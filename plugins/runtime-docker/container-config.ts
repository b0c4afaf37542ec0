import type { ContainerCreateOptions, PortMap } from 'dockerode';
import type { Task } from '../../core/model/types';
import type { TaskNetworkPlan } from '../../core/runtime/contract';

/** Docker's name for its default network, used when the plan lists none. */
const DEFAULT_NETWORK = 'bridge';

/** A port key as Docker writes it: `80/tcp`. */
function portKey(port: { targetPort: number; protocol: string }): string {
  return `${port.targetPort}/${port.protocol}`;
}

/** Host-mode port bindings of the plan, grouped by container port. */
function portBindings(plan: TaskNetworkPlan): PortMap {
  const bindings: PortMap = {};
  for (const p of plan.hostPorts) {
    (bindings[portKey(p)] ??= []).push({ HostIp: p.hostIp ?? '', HostPort: String(p.hostPort) });
  }
  return bindings;
}

/** Every port the task serves: its service's target ports plus the host-bound ones. */
function exposedPorts(task: Task, plan: TaskNetworkPlan): Record<string, object> {
  return Object.fromEntries([...task.ports, ...plan.hostPorts].map((p) => [portKey(p), {}]));
}

/**
 * The create-container body for a task. The container joins the plan's first network (Docker's
 * default bridge when there is none); further networks are connected after creation, because API 1.41
 * takes a single endpoint at create. No restart policy (orch replaces ended tasks itself), no TTY, no init.
 */
export function containerConfig(task: Task, plan: TaskNetworkPlan, labels: Record<string, string>): ContainerCreateOptions {
  const { container, resources } = task.spec;
  const network = plan.networks[0] ?? DEFAULT_NETWORK;
  return {
    Image: container.image,
    Entrypoint: container.command ? [...container.command] : undefined,
    Cmd: container.args.length > 0 ? [...container.args] : undefined,
    Env: [...container.env],
    Labels: labels,
    Tty: false,
    OpenStdin: false,
    ExposedPorts: exposedPorts(task, plan),
    StopTimeout: Math.ceil(container.stopGracePeriodMs / 1000),
    HostConfig: {
      NanoCpus: resources.limits.nanoCpus,
      Memory: resources.limits.memoryBytes,
      MemoryReservation: resources.reservations.memoryBytes,
      PortBindings: portBindings(plan),
      RestartPolicy: { Name: 'no' },
      Init: false,
      NetworkMode: network,
    },
    NetworkingConfig: { EndpointsConfig: { [network]: {} } },
  };
}
