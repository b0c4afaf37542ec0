import type { ContainerCreateOptions, EndpointSettings, MountSettings, PortMap } from 'dockerode';
import type { Mount, Task } from '../../core/model/types';
import { distinctTargetPorts, type RuntimeNetworkAttachment, type TargetPort, type TaskNetworkPlan } from '../../core/runtime/contract';

/** Docker's name for its default network, used when the plan lists none. */
const DEFAULT_NETWORK = 'bridge';

/** A port key as Docker writes it: `80/tcp`. */
export function portKey(port: TargetPort): string {
  return `${port.targetPort}/${port.protocol}`;
}

/**
 * Port bindings of the plan, grouped by container port: its fixed host-mode ports, and each exposed port
 * (the plan's and the image's) on an ephemeral port of the expose address.
 */
function portBindings(plan: TaskNetworkPlan, exposed: readonly TargetPort[]): PortMap {
  const bindings: PortMap = {};
  for (const p of plan.hostPorts) {
    (bindings[portKey(p)] ??= []).push({ HostIp: p.hostIp ?? '', HostPort: String(p.hostPort) });
  }
  if (plan.exposeAddress !== undefined) {
    for (const p of exposed) (bindings[portKey(p)] ??= []).push({ HostIp: plan.exposeAddress, HostPort: '' });
  }
  return bindings;
}

/** Every port the task serves: its service's target ports, the exposed ones and the host-bound ones. */
function exposedPorts(task: Task, plan: TaskNetworkPlan, exposed: readonly TargetPort[]): Record<string, object> {
  return Object.fromEntries([...task.ports, ...exposed, ...plan.hostPorts].map((p) => [portKey(p), {}]));
}

/**
 * Docker's mounts for a task's mounts: binds and tmpfs as they are, volumes as the engine's named volumes
 * (created on first use by the named driver, Docker's `local` by default).
 */
export function dockerMounts(mounts: readonly Mount[]): MountSettings[] {
  return mounts.map((m) => ({
    Type: m.type,
    Target: m.target,
    Source: m.source ?? '',
    ReadOnly: m.readOnly ?? false,
    ...(m.type === 'volume' && {
      VolumeOptions: { NoCopy: false, Labels: { ...m.volume?.labels }, DriverConfig: { Name: m.volume?.driver ?? 'local', Options: { ...m.volume?.options } } },
    }),
    // The engine leaves a 0 size or mode at its default (no limit, 1777).
    ...(m.tmpfs && { TmpfsOptions: { SizeBytes: m.tmpfs.sizeBytes ?? 0, Mode: m.tmpfs.mode ?? 0 } }),
  }));
}

/** The endpoint settings of one network: the allocated address and aliases. */
export function endpointConfig(network: RuntimeNetworkAttachment): EndpointSettings {
  return {
    ...(network.ipv4Address !== undefined && { IPAMConfig: { IPv4Address: network.ipv4Address } }),
    ...(network.aliases !== undefined && network.aliases.length > 0 && { Aliases: [...network.aliases] }),
  };
}

/**
 * The create-container body for a task. The container joins the plan's first network (Docker's
 * default bridge when there is none); further networks are connected after creation, because API 1.41
 * takes a single endpoint at create. No restart policy (orch replaces ended tasks itself), no TTY, no init.
 * @param imagePorts ports the task's image declares (EXPOSE), bound like the plan's exposed ports.
 */
export function containerConfig(task: Task, plan: TaskNetworkPlan, labels: Record<string, string>, imagePorts: readonly TargetPort[] = []): ContainerCreateOptions {
  const { container, resources } = task.spec;
  const primary = plan.networks[0];
  const network = primary?.name ?? DEFAULT_NETWORK;
  const exposed = distinctTargetPorts([...plan.exposedPorts, ...imagePorts]);
  return {
    Image: container.image,
    Entrypoint: container.command ? [...container.command] : undefined,
    Cmd: container.args.length > 0 ? [...container.args] : undefined,
    Env: [...container.env],
    ...(container.workdir !== undefined && { WorkingDir: container.workdir }),
    Labels: labels,
    Tty: false,
    OpenStdin: false,
    ExposedPorts: exposedPorts(task, plan, exposed),
    StopTimeout: Math.ceil(container.stopGracePeriodMs / 1000),
    // orch runs health checks itself (the image's too): the engine must not run them a second time.
    Healthcheck: { Test: ['NONE'] },
    HostConfig: {
      NanoCpus: resources.limits.nanoCpus,
      Memory: resources.limits.memoryBytes,
      MemoryReservation: resources.reservations.memoryBytes,
      PortBindings: portBindings(plan, exposed),
      ...(container.mounts !== undefined && container.mounts.length > 0 && { Mounts: dockerMounts(container.mounts) }),
      RestartPolicy: { Name: 'no' },
      Init: false,
      NetworkMode: network,
      ...(plan.dns.length > 0 && { Dns: [...plan.dns] }),
    },
    NetworkingConfig: { EndpointsConfig: { [network]: primary ? endpointConfig(primary) : {} } },
  };
}

/** `80/tcp` → the port; undefined for keys orch does not publish (e.g. sctp). */
export function parsePortKey(key: string): TargetPort | undefined {
  const m = /^(\d+)\/(tcp|udp)$/.exec(key);
  return m ? { targetPort: Number(m[1]), protocol: m[2] as TargetPort['protocol'] } : undefined;
}
