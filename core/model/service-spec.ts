import { ValidationError } from '../errors';
import { arr, int, noExtraKeys, obj, oneOf, opt, str, strMap, type Json } from './check';
import { parseConstraint } from './constraints';
import { parseMounts } from './mounts';
import type { ContainerSpec, HealthConfig, EndpointSpec, NetworkAttachmentConfig, PortConfig, ResourceRequirements, Resources, RestartPolicy, ServiceMode, ServiceSpec, TaskSpec, UpdateConfig } from './types';

/** Swarm mode's defaults. */
export const DEFAULT_RESTART_POLICY: RestartPolicy = { condition: 'any', delayMs: 5000, maxAttempts: 0, windowMs: 0 };
/** Swarm mode's update defaults. */
export const DEFAULT_UPDATE_CONFIG: UpdateConfig = { parallelism: 1, delayMs: 0, order: 'stop-first', failureAction: 'pause', monitorMs: 5000, maxFailureRatio: 0 };
export const DEFAULT_STOP_GRACE_MS = 10_000;
/** Range the allocator picks published ports from when none is given. */
export const DYNAMIC_PORT_RANGE = { first: 30000, last: 32767 } as const;

const NAME = /^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,62}$/;
const NAME_RULE = 'expected 1-63 letters, digits, "_", "." or "-", starting with a letter or digit';
const ENV = /^[^=\s][^=]*=/;
const MAX_MS = 365 * 24 * 3600 * 1000;

/**
 * Validates an untrusted service spec (e.g. from an RPC payload) and returns it typed.
 * Optional fields get swarm mode's defaults.
 * @throws ValidationError naming the first bad field, e.g. `mode.replicated.replicas`.
 */
export function parseServiceSpec(input: Json): ServiceSpec {
  const o = obj(input, 'spec');
  noExtraKeys(o, '', ['name', 'labels', 'mode', 'task', 'networks', 'endpoint', 'updateConfig', 'rollbackConfig']);
  const name = parseObjectName(o.name, 'service');
  const networks = opt(o.networks, 'networks', parseNetworks);
  const spec: ServiceSpec = {
    name,
    labels: opt(o.labels, 'labels', strMap) ?? {},
    mode: parseMode(o.mode ?? { replicated: { replicas: 1 } }),
    task: parseTaskSpec(o.task, 'task'),
    ...(networks !== undefined && networks.length > 0 && { networks }),
    endpoint: parseEndpoint(o.endpoint),
    ...(o.updateConfig !== undefined && { updateConfig: parseUpdateConfig(o.updateConfig, 'updateConfig') }),
    ...(o.rollbackConfig !== undefined && { rollbackConfig: parseUpdateConfig(o.rollbackConfig, 'rollbackConfig') }),
  };
  return spec;
}

/**
 * Reads the `name` of a service or network: 1-63 letters, digits, `_`, `.` or `-`, starting with a
 * letter or digit (the same rule for both, as swarm mode has).
 * @throws ValidationError naming `name`.
 */
export function parseObjectName(v: Json, kind: 'service' | 'network'): string {
  return str(v, 'name', { pattern: NAME, expected: `is not a valid ${kind} name: ${NAME_RULE}` });
}

/**
 * Refuses a second attachment to the same network.
 * @param keys the attachments' networks as compared (references as given, or once resolved to ids).
 * @param given the references as given, for the message.
 * @throws ValidationError naming `networks[i].target` of the repeat.
 */
export function refuseRepeatedNetworks(keys: readonly string[], given: readonly string[] = keys): void {
  keys.forEach((k, i) => {
    const first = keys.indexOf(k);
    if (first < i) throw new ValidationError(`networks[${i}].target`, `"${given[i]}" names the same network as networks[${first}]: attach a network once`);
  });
}

function parseNetworks(v: Json, field: string): NetworkAttachmentConfig[] {
  const networks = arr(v, field, (n, f) => {
    if (typeof n === 'string') throw new ValidationError(f, `expected an object such as {"target": ${JSON.stringify(n)}}, got a bare string`);
    const o = obj(n, f);
    noExtraKeys(o, f, ['target', 'aliases']);
    const target = str(o.target, `${f}.target`, { nonEmpty: true });
    const aliases = opt(o.aliases, `${f}.aliases`, (x, fa) => arr(x, fa, (a, fi) => str(a, fi, { pattern: NAME, expected: `is not a valid alias: ${NAME_RULE}` })));
    return { target, ...(aliases !== undefined && aliases.length > 0 && { aliases }) };
  });
  refuseRepeatedNetworks(networks.map((n) => n.target));
  return networks;
}

/**
 * The endpoint: its ports and, when not the default `vip`, its mode (so that equal endpoints read alike).
 * Ports published through the routing mesh need a virtual IP: `dnsrr` takes host-mode ports only.
 */
function parseEndpoint(v: Json): EndpointSpec {
  const e = obj(v ?? {}, 'endpoint');
  noExtraKeys(e, 'endpoint', ['mode', 'ports']);
  const mode = oneOf(e.mode ?? 'vip', 'endpoint.mode', ['vip', 'dnsrr']);
  const ports = parsePorts(e.ports);
  const ingress = ports.findIndex((p) => p.publishMode === 'ingress');
  if (mode === 'dnsrr' && ingress >= 0) {
    throw new ValidationError('endpoint.mode', `dnsrr cannot be used with a port published in ingress mode (endpoint.ports[${ingress}]): publish it with mode host, or use vip`);
  }
  return mode === 'vip' ? { ports } : { mode, ports };
}

function parseMode(v: Json): ServiceMode {
  const o = obj(v, 'mode');
  noExtraKeys(o, 'mode', ['replicated', 'global']);
  if ('global' in o && 'replicated' in o) throw new ValidationError('mode', 'expected either replicated or global, not both');
  if ('global' in o) {
    obj(o.global, 'mode.global');
    return { global: {} };
  }
  const r = obj(o.replicated, 'mode.replicated');
  noExtraKeys(r, 'mode.replicated', ['replicas']);
  return { replicated: { replicas: int(r.replicas ?? 1, 'mode.replicated.replicas', 0, 100_000) } };
}

/** Validates the task part of a spec. */
export function parseTaskSpec(v: Json, field: string): TaskSpec {
  const o = obj(v, field);
  noExtraKeys(o, field, ['container', 'resources', 'restartPolicy', 'placement', 'runtime', 'forceUpdate']);
  const placement = obj(o.placement ?? {}, `${field}.placement`);
  noExtraKeys(placement, `${field}.placement`, ['constraints', 'preferences', 'maxReplicasPerNode']);
  const constraints = arr(placement.constraints ?? [], `${field}.placement.constraints`, (c, f) => {
    const text = str(c, f);
    parseConstraint(text, f);
    return text;
  });
  return {
    container: parseContainer(o.container, `${field}.container`),
    resources: parseResources(o.resources ?? {}, `${field}.resources`),
    restartPolicy: parseRestart(o.restartPolicy ?? {}, `${field}.restartPolicy`),
    placement: {
      constraints,
      preferences: arr(placement.preferences ?? [], `${field}.placement.preferences`, (p, f) => {
        const pref = obj(p, f);
        noExtraKeys(pref, f, ['spread']);
        return { spread: str(pref.spread, `${f}.spread`, { pattern: /^[A-Za-z0-9_.-]+$/, expected: 'is not a node attribute: expected e.g. node.labels.zone' }) };
      }),
      maxReplicasPerNode: int(placement.maxReplicasPerNode ?? 0, `${field}.placement.maxReplicasPerNode`, 0),
    },
    runtime: opt(o.runtime, `${field}.runtime`, (x, f) => str(x, f, { nonEmpty: true })),
    ...(o.forceUpdate !== undefined && o.forceUpdate !== 0 && { forceUpdate: int(o.forceUpdate, `${field}.forceUpdate`, 0) }),
  };
}

/** The failure actions an update config (`updateConfig`) or a rollback config (`rollbackConfig`) may take. */
export function failureActions(field: 'updateConfig' | 'rollbackConfig'): readonly UpdateConfig['failureAction'][] {
  return field === 'updateConfig' ? ['pause', 'continue', 'rollback'] : ['pause', 'continue'];
}

/**
 * Validates a spec's update or rollback config; missing fields get swarm mode's defaults (the same for
 * both). A rollback config cannot have failure action `rollback`.
 * @throws ValidationError naming the bad field, e.g. `updateConfig.order`.
 */
export function parseUpdateConfig(v: Json, field: 'updateConfig' | 'rollbackConfig'): UpdateConfig {
  const o = obj(v, field);
  noExtraKeys(o, field, ['parallelism', 'delayMs', 'order', 'failureAction', 'monitorMs', 'maxFailureRatio']);
  const d = DEFAULT_UPDATE_CONFIG;
  const ratio = o.maxFailureRatio ?? d.maxFailureRatio;
  if (typeof ratio !== 'number' || !(ratio >= 0 && ratio <= 1)) {
    throw new ValidationError(`${field}.maxFailureRatio`, `expected a number from 0 to 1, got ${JSON.stringify(ratio)}`);
  }
  return {
    parallelism: int(o.parallelism ?? d.parallelism, `${field}.parallelism`, 0, 100_000),
    delayMs: int(o.delayMs ?? d.delayMs, `${field}.delayMs`, 0, MAX_MS),
    order: oneOf(o.order ?? d.order, `${field}.order`, ['stop-first', 'start-first']),
    failureAction: oneOf(o.failureAction ?? d.failureAction, `${field}.failureAction`, failureActions(field)),
    monitorMs: int(o.monitorMs ?? d.monitorMs, `${field}.monitorMs`, 0, MAX_MS),
    maxFailureRatio: ratio,
  };
}

/** Docker's health check defaults. */
export const DEFAULT_HEALTH = { intervalMs: 30_000, timeoutMs: 30_000, retries: 3, startPeriodMs: 0 } as const;

const HEALTH_TEST_FORMS = 'expected ["NONE"], ["CMD", exe, args...], ["CMD-SHELL", command], ["HTTP", port, path] or ["TCP", port]';

/** Validates a health check's `test`. */
function parseHealthTest(v: Json, f: string): string[] {
  const test = arr(v, f, (x, fx) => str(x, fx));
  const [kind, ...rest] = test;
  const port = (x: string | undefined) => x !== undefined && /^\d+$/.test(x) && Number(x) >= 1 && Number(x) <= 65535;
  const ok =
    (kind === 'NONE' && rest.length === 0) ||
    (kind === 'CMD' && rest.length > 0 && rest[0] !== '') ||
    (kind === 'CMD-SHELL' && rest.length === 1 && rest[0].trim() !== '') ||
    (kind === 'HTTP' && rest.length === 2 && port(rest[0]) && rest[1].startsWith('/')) ||
    (kind === 'TCP' && rest.length === 1 && port(rest[0]));
  if (!ok) throw new ValidationError(f, `${JSON.stringify(test)} is not a health check: ${HEALTH_TEST_FORMS}`);
  return test;
}

function parseHealthcheck(v: Json, f: string): HealthConfig {
  const o = obj(v, f);
  noExtraKeys(o, f, ['test', 'intervalMs', 'timeoutMs', 'retries', 'startPeriodMs']);
  const d = DEFAULT_HEALTH;
  return {
    test: parseHealthTest(o.test, `${f}.test`),
    intervalMs: int(o.intervalMs ?? d.intervalMs, `${f}.intervalMs`, 1, MAX_MS),
    timeoutMs: int(o.timeoutMs ?? d.timeoutMs, `${f}.timeoutMs`, 1, MAX_MS),
    retries: int(o.retries ?? d.retries, `${f}.retries`, 1, 1000),
    startPeriodMs: int(o.startPeriodMs ?? d.startPeriodMs, `${f}.startPeriodMs`, 0, MAX_MS),
  };
}

function parseContainer(v: Json, field: string): ContainerSpec {
  const o = obj(v, field);
  noExtraKeys(o, field, ['image', 'command', 'args', 'env', 'workdir', 'labels', 'stopGracePeriodMs', 'healthcheck', 'mounts']);
  const image = str(o.image, `${field}.image`, { pattern: /^[^\s]+$/, expected: 'is not an image reference' });
  const strings = (x: Json, f: string) => arr(x, f, (s, fi) => str(s, fi));
  return {
    image,
    command: opt(o.command, `${field}.command`, strings),
    args: strings(o.args ?? [], `${field}.args`),
    env: arr(o.env ?? [], `${field}.env`, (s, f) => str(s, f, { pattern: ENV, expected: 'is not an environment entry: expected KEY=VALUE' })),
    ...(o.workdir !== undefined && { workdir: str(o.workdir, `${field}.workdir`, { nonEmpty: true }) }),
    labels: opt(o.labels, `${field}.labels`, strMap) ?? {},
    stopGracePeriodMs: int(o.stopGracePeriodMs ?? DEFAULT_STOP_GRACE_MS, `${field}.stopGracePeriodMs`, 0, MAX_MS),
    ...(o.healthcheck !== undefined && { healthcheck: parseHealthcheck(o.healthcheck, `${field}.healthcheck`) }),
    ...(o.mounts !== undefined && { mounts: parseMounts(o.mounts, `${field}.mounts`) }),
  };
}

function parseResources(v: Json, field: string): ResourceRequirements {
  const o = obj(v, field);
  noExtraKeys(o, field, ['limits', 'reservations']);
  const res = (x: Json, f: string): Partial<Resources> => {
    const r = obj(x, f);
    noExtraKeys(r, f, ['nanoCpus', 'memoryBytes']);
    const out: { nanoCpus?: number; memoryBytes?: number } = {};
    if (r.nanoCpus !== undefined) out.nanoCpus = int(r.nanoCpus, `${f}.nanoCpus`, 0);
    if (r.memoryBytes !== undefined) out.memoryBytes = int(r.memoryBytes, `${f}.memoryBytes`, 0);
    return out;
  };
  const limits = res(o.limits ?? {}, `${field}.limits`);
  const reservations = res(o.reservations ?? {}, `${field}.reservations`);
  if (limits.memoryBytes !== undefined && limits.memoryBytes > 0 && limits.memoryBytes < 6 * 1024 * 1024) {
    throw new ValidationError(`${field}.limits.memoryBytes`, 'expected at least 6 MiB (the engine refuses less)');
  }
  for (const k of ['nanoCpus', 'memoryBytes'] as const) {
    const l = limits[k];
    const r = reservations[k];
    if (l && r !== undefined && r > l) throw new ValidationError(`${field}.reservations.${k}`, `reservation ${r} exceeds the limit ${l}`);
  }
  return { limits, reservations };
}

function parseRestart(v: Json, field: string): RestartPolicy {
  const o = obj(v, field);
  noExtraKeys(o, field, ['condition', 'delayMs', 'maxAttempts', 'windowMs']);
  const d = DEFAULT_RESTART_POLICY;
  return {
    condition: oneOf(o.condition ?? d.condition, `${field}.condition`, ['any', 'on-failure', 'none']),
    delayMs: int(o.delayMs ?? d.delayMs, `${field}.delayMs`, 0, MAX_MS),
    maxAttempts: int(o.maxAttempts ?? d.maxAttempts, `${field}.maxAttempts`, 0),
    windowMs: int(o.windowMs ?? d.windowMs, `${field}.windowMs`, 0, MAX_MS),
  };
}

function parsePorts(v: Json): PortConfig[] {
  const ports = arr(v ?? [], 'endpoint.ports', (p, f) => {
    const o = obj(p, f);
    noExtraKeys(o, f, ['protocol', 'targetPort', 'publishedPort', 'publishMode']);
    return {
      protocol: oneOf(o.protocol ?? 'tcp', `${f}.protocol`, ['tcp', 'udp']),
      targetPort: int(o.targetPort, `${f}.targetPort`, 1, 65535),
      publishedPort: int(o.publishedPort ?? 0, `${f}.publishedPort`, 0, 65535),
      publishMode: oneOf(o.publishMode ?? 'ingress', `${f}.publishMode`, ['ingress', 'host']),
    } satisfies PortConfig;
  });
  const seen = new Set<string>();
  ports.forEach((p, i) => {
    if (p.publishedPort === 0) return;
    const key = `${p.protocol}/${p.publishedPort}`;
    if (seen.has(key)) throw new ValidationError(`endpoint.ports[${i}].publishedPort`, `${key} is published twice`);
    seen.add(key);
  });
  return ports;
}

/** Replica count of a replicated service; undefined for a global one. */
export function replicasOf(spec: ServiceSpec): number | undefined {
  return 'replicated' in spec.mode ? spec.mode.replicated.replicas : undefined;
}
