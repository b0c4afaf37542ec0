import { isMapping, itemPath, keyPath } from './paths';

/** What happens to a key orch does not convert: ignored with a warning (as docker does), or refused. */
type Verdict = 'ignore' | { readonly refuse: string };

/**
 * The keys a part of a compose file may hold: `keys` for a mapping with known keys, `entries` for the
 * items of a list or the values of a mapping of names (services, networks…). Values are checked for
 * their type when converted; this only sorts keys.
 */
interface Shape {
  readonly keys?: Readonly<Record<string, Shape | Verdict>>;
  readonly entries?: Shape;
  /** Whether `x-…` extension keys are allowed (and skipped). */
  readonly extensions?: boolean;
}

/** Any value: checked when converted. */
const VALUE: Shape = {};

const ORCH_HAS_NO = (what: string): Verdict => ({ refuse: `orch has no ${what}` });
const USE_DEPLOY_RESOURCES: Verdict = { refuse: 'set resource limits with deploy.resources' };
const USE_TOP_LEVEL_VOLUMES: Verdict = { refuse: 'define the volume under the top-level volumes, with its driver, and mount it by name' };

const UPDATE_CONFIG: Shape = { keys: { parallelism: VALUE, delay: VALUE, failure_action: VALUE, monitor: VALUE, max_failure_ratio: VALUE, order: VALUE } };
const CPU_MEMORY = { cpus: VALUE, memory: VALUE };

const DEPLOY: Shape = {
  keys: {
    mode: VALUE,
    replicas: VALUE,
    labels: VALUE,
    endpoint_mode: VALUE,
    placement: { keys: { constraints: VALUE, preferences: { entries: { keys: { spread: VALUE } } }, max_replicas_per_node: VALUE } },
    update_config: UPDATE_CONFIG,
    rollback_config: UPDATE_CONFIG,
    restart_policy: { keys: { condition: VALUE, delay: VALUE, max_attempts: VALUE, window: VALUE } },
    resources: {
      keys: {
        limits: { keys: { ...CPU_MEMORY, pids: ORCH_HAS_NO('process limits') } },
        reservations: { keys: { ...CPU_MEMORY, generic_resources: ORCH_HAS_NO('generic resources'), devices: ORCH_HAS_NO('device reservations') } },
      },
    },
  },
};

const SERVICE_VOLUME: Shape = {
  keys: {
    type: VALUE,
    source: VALUE,
    target: VALUE,
    read_only: VALUE,
    consistency: 'ignore',
    bind: { keys: { propagation: ORCH_HAS_NO('bind propagation settings'), create_host_path: 'ignore' } },
    volume: { keys: { nocopy: VALUE } },
    tmpfs: { keys: { size: VALUE } },
  },
};

/** Keys docker's `stack deploy` ignores with a warning ("Ignoring unsupported options"), and so does orch. */
const DOCKER_IGNORES = [
  'build', 'cap_add', 'cap_drop', 'cgroupns_mode', 'cgroup_parent', 'container_name', 'depends_on', 'devices', 'domainname', 'expose',
  'external_links', 'ipc', 'links', 'mac_address', 'network_mode', 'pid', 'privileged', 'security_opt', 'shm_size', 'ulimits', 'userns_mode',
] as const;

/** Keys docker honours (or refuses) that orch cannot honour: ignoring them would run something else than asked. */
const REFUSED: Readonly<Record<string, Verdict>> = {
  configs: ORCH_HAS_NO('configs'),
  secrets: ORCH_HAS_NO('secrets'),
  credential_spec: ORCH_HAS_NO('credential specs (Windows)'),
  isolation: ORCH_HAS_NO('isolation modes (Windows)'),
  dns: ORCH_HAS_NO('per-service DNS settings: tasks use their network\'s DNS server'),
  dns_opt: ORCH_HAS_NO('per-service DNS settings'),
  dns_search: ORCH_HAS_NO('per-service DNS settings'),
  extra_hosts: ORCH_HAS_NO('extra host entries'),
  hostname: ORCH_HAS_NO('task hostname setting'),
  init: ORCH_HAS_NO('init process option'),
  logging: ORCH_HAS_NO('logging driver settings'),
  read_only: ORCH_HAS_NO('read-only root filesystems'),
  stdin_open: ORCH_HAS_NO('interactive tasks'),
  tty: ORCH_HAS_NO('terminals for tasks'),
  stop_signal: ORCH_HAS_NO('stop signal setting: tasks get SIGTERM'),
  sysctls: ORCH_HAS_NO('sysctl settings'),
  user: ORCH_HAS_NO('user setting: tasks run as the image\'s user'),
  working_dir: ORCH_HAS_NO('working directory setting: tasks start in the image\'s'),
  extends: { refuse: 'extends is not supported by stack deploy' },
  volume_driver: USE_TOP_LEVEL_VOLUMES,
  volumes_from: USE_TOP_LEVEL_VOLUMES,
  cpu_quota: USE_DEPLOY_RESOURCES,
  cpu_shares: USE_DEPLOY_RESOURCES,
  cpuset: USE_DEPLOY_RESOURCES,
  mem_limit: USE_DEPLOY_RESOURCES,
  memswap_limit: USE_DEPLOY_RESOURCES,
};

const SERVICE: Shape = {
  extensions: true,
  keys: {
    image: VALUE,
    command: VALUE,
    entrypoint: VALUE,
    environment: VALUE,
    env_file: VALUE,
    labels: VALUE,
    ports: { entries: { keys: { target: VALUE, published: VALUE, protocol: VALUE, mode: VALUE } } },
    networks: { entries: { keys: { aliases: VALUE, ipv4_address: ORCH_HAS_NO('fixed task addresses'), ipv6_address: ORCH_HAS_NO('IPv6') } } },
    volumes: { entries: SERVICE_VOLUME },
    tmpfs: VALUE,
    healthcheck: { keys: { test: VALUE, interval: VALUE, timeout: VALUE, retries: VALUE, start_period: VALUE, disable: VALUE, start_interval: ORCH_HAS_NO('health check start interval') } },
    stop_grace_period: VALUE,
    restart: VALUE,
    deploy: DEPLOY,
    ...Object.fromEntries(DOCKER_IGNORES.map((k) => [k, 'ignore'])),
    ...REFUSED,
  },
};

const NETWORK: Shape = {
  extensions: true,
  keys: {
    driver: VALUE,
    driver_opts: VALUE,
    labels: VALUE,
    attachable: VALUE,
    external: { keys: { name: VALUE } },
    name: VALUE,
    ipam: {
      keys: {
        driver: VALUE,
        config: { entries: { keys: { subnet: VALUE, gateway: ORCH_HAS_NO('gateway setting'), ip_range: ORCH_HAS_NO('IP ranges'), aux_addresses: ORCH_HAS_NO('auxiliary addresses') } } },
        options: ORCH_HAS_NO('IPAM driver options'),
      },
    },
    internal: ORCH_HAS_NO('internal networks'),
    enable_ipv6: ORCH_HAS_NO('IPv6'),
  },
};

const VOLUME: Shape = { extensions: true, keys: { driver: VALUE, driver_opts: VALUE, labels: VALUE, external: { keys: { name: VALUE } }, name: VALUE } };

const FILE: Shape = {
  extensions: true,
  keys: {
    version: VALUE,
    services: { entries: SERVICE },
    networks: { entries: NETWORK },
    volumes: { entries: VOLUME },
    secrets: ORCH_HAS_NO('secrets'),
    configs: ORCH_HAS_NO('configs'),
  },
};

/** The keys of a shape orch converts, sorted. */
function supportedKeys(shape: Shape): string[] {
  return Object.entries(shape.keys ?? {})
    .filter(([, rule]) => rule !== 'ignore' && !('refuse' in rule))
    .map(([k]) => k)
    .sort();
}

/** A key orch will not deploy: refused (with why) or unknown. */
export interface KeyProblem {
  readonly path: string;
  readonly reason: string;
}

/** The keys of a compose file sorted out: those ignored with a warning, and those that stop the deploy. */
export interface KeyReport {
  readonly ignored: readonly string[];
  readonly problems: readonly KeyProblem[];
}

/**
 * Sorts every key of a compose document (format 3.x) by what orch does with it: converts it, ignores it
 * with a warning as docker does (`services.web.build`), refuses it because orch cannot honour it
 * (`services.web.user`), or does not know it (a misspelling). `x-…` extension keys are skipped. Pure.
 */
export function checkKeys(doc: unknown): KeyReport {
  const ignored: string[] = [];
  const problems: KeyProblem[] = [];
  const walk = (v: unknown, shape: Shape, path: string): void => {
    if (Array.isArray(v)) {
      if (shape.entries) v.forEach((x, i) => walk(x, shape.entries!, itemPath(path, i)));
      return;
    }
    if (!isMapping(v)) return;
    for (const [key, value] of Object.entries(v)) {
      const p = keyPath(path, key);
      if (!shape.keys) {
        if (shape.entries) walk(value, shape.entries, p);
        continue;
      }
      const rule = Object.hasOwn(shape.keys, key) ? shape.keys[key] : undefined;
      if (rule === 'ignore') ignored.push(p);
      else if (rule !== undefined && 'refuse' in rule) problems.push({ path: p, reason: `not supported: ${rule.refuse}` });
      else if (rule !== undefined) walk(value, rule, p);
      else if (!(shape.extensions && key.startsWith('x-'))) problems.push({ path: p, reason: `unknown key (expected one of ${supportedKeys(shape).join(', ')})` });
    }
  };
  walk(doc, FILE, '');
  return { ignored, problems };
}
