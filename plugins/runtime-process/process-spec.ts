import * as path from 'node:path';
import type { PortBinding, Task } from '../../core/model/types';
import type { TaskNetworkPlan } from '../../core/runtime/contract';

/** How a task's process is started: what it runs, where, with which environment, and the ports it serves. */
export interface ProcessSpec {
  readonly argv: readonly string[];
  readonly cwd: string;
  readonly env: Readonly<Record<string, string>>;
  /** Its target ports as bound on the node: where the mesh and health checks reach them. */
  readonly ports: readonly PortBinding[];
}

/**
 * The argv of a task's process: `command` then `args` when the spec has a command (`--entrypoint`), else
 * the image field as the program and `args` as its arguments (`orch service create python3 -m http.server`).
 */
export function processArgv(task: Task): string[] {
  const { image, command, args } = task.spec.container;
  return command && command.length > 0 ? [...command, ...args] : [image, ...args];
}

/**
 * The process spec of a task (pure): its working dir (the spec's, else `taskDir`), the node's environment
 * `baseEnv` with the spec's entries over it, and the ports. Each exposed target port gets the host port
 * `hostPorts` gives it (the task is told in `PORT` for the first one and `ORCH_PORT_<target>` for each);
 * a host-mode port keeps its published port.
 */
export function processSpec(task: Task, plan: TaskNetworkPlan, taskDir: string, hostPorts: readonly number[], baseEnv: Readonly<Record<string, string | undefined>>): ProcessSpec {
  const hostIp = plan.exposeAddress ?? '127.0.0.1';
  const exposed: PortBinding[] = plan.exposedPorts.map((p, i) => ({ protocol: p.protocol, targetPort: p.targetPort, hostIp, hostPort: hostPorts[i] }));
  const fixed: PortBinding[] = plan.hostPorts.map((p) => ({ protocol: p.protocol, targetPort: p.targetPort, hostIp: p.hostIp ?? '0.0.0.0', hostPort: p.hostPort }));
  const ports = [...exposed, ...fixed.filter((f) => !exposed.some((e) => e.targetPort === f.targetPort && e.protocol === f.protocol))];
  const own = Object.fromEntries(task.spec.container.env.map((e) => [e.slice(0, e.indexOf('=')), e.slice(e.indexOf('=') + 1)]));
  const portEnv = Object.fromEntries(ports.map((p) => [`ORCH_PORT_${p.targetPort}`, String(p.hostPort)]));
  const inherited = Object.fromEntries(Object.entries(baseEnv).filter((e): e is [string, string] => e[1] !== undefined));
  const env = {
    ...inherited,
    ORCH_TASK_ID: task.id,
    ORCH_SERVICE_NAME: task.serviceName,
    ...(task.slot !== undefined && { ORCH_TASK_SLOT: String(task.slot) }),
    ...(ports.length > 0 && { PORT: String(ports[0].hostPort) }),
    ...portEnv,
    ...own,
  };
  const cwd = task.spec.container.workdir ? path.resolve(taskDir, task.spec.container.workdir) : taskDir;
  return { argv: processArgv(task), cwd, env, ports };
}
