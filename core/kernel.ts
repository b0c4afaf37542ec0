import 'reflect-metadata';
import { container as rootContainer, type DependencyContainer } from 'tsyringe';
import { AsyncSeriesHook } from 'tapable';
import semver from 'semver';
import type { Logger } from 'pino';
import { Hooks } from './hooks';

/** The kernel's own version; plugins declare the range they work with. */
export const KERNEL_VERSION = '1.0.0';

/** What a node daemon was started with. */
export interface KernelConfig {
  /** State directory of this node. */
  readonly dataDir: string;
  /** This node's id (made at init, kept in the data dir). */
  readonly nodeId: string;
  readonly role: 'manager' | 'worker';
  /** Address other nodes and clients reach this node on. */
  readonly advertiseAddr: string;
  /** Address the cluster listener binds. */
  readonly listenAddr: string;
  /** This daemon creates the cluster (`swarm init`): a consensus plugin founds its group with this node alone. */
  readonly newCluster?: boolean;
  /** Recover a manager from lost quorum: its consensus plugin makes it the only member, keeping all state. */
  readonly forceNewCluster?: boolean;
  /** A manager (`host:port`) this node joined through; a new manager asks it to be let into consensus. */
  readonly managerAddr?: string;
  /**
   * Where to serve Prometheus metrics (`host:port`, `--metrics-addr`, kept in `node.json`); no metrics
   * endpoint when unset. Served by the metrics-prometheus plugin.
   */
  readonly metricsAddr?: string;
}

/**
 * An orch plugin: registers providers in the kernel's container and taps its hooks.
 * Its `apply` runs once at boot, in dependency order.
 */
export interface Plugin {
  /** Unique name, e.g. `scheduler-spread`. */
  readonly name: string;
  /** The plugin's own version (semver). */
  readonly version: string;
  /** Kernel versions it works with (a semver range such as `^1.0`); checked at boot. */
  readonly kernel?: string;
  /** Names of plugins that must be applied first. */
  readonly dependsOn?: readonly string[];
  apply(kernel: Kernel): void | Promise<void>;
}

/** Lifecycle hooks of a daemon; plugins with something to start or stop tap them. */
export class LifecycleHooks {
  /**
   * Starts services (store, runtimes, loops, listeners). Async series, in `stage` order: store at
   * stage -100, runtimes -50, control loops 0, listeners 100. A rejection aborts boot.
   */
  readonly start = new AsyncSeriesHook<[]>();
  /**
   * Stops them again. Async series in `stage` order, so listeners (stage -100) stop before loops (0)
   * and the store (100). Errors are logged and do not stop the rest.
   */
  readonly stop = new AsyncSeriesHook<[]>();
}

/**
 * The kernel: a DI container for providers, the hooks for pipelines and events, the daemon's config,
 * and a logger. Everything else, including the default features, comes from plugins.
 */
export class Kernel {
  readonly hooks = new Hooks();
  readonly lifecycle = new LifecycleHooks();
  readonly container: DependencyContainer;
  private readonly applied: Plugin[] = [];

  constructor(
    readonly config: KernelConfig,
    readonly log: Logger,
    parent: DependencyContainer = rootContainer,
  ) {
    this.container = parent.createChildContainer();
  }

  /** Plugins applied so far, in order. */
  get plugins(): readonly Plugin[] {
    return this.applied;
  }

  /**
   * Checks and applies a set of plugins: names must be unique, kernel ranges must include
   * KERNEL_VERSION, and every dependency must be in the set. Plugins are applied dependencies first.
   * Throws (applying nothing) with a message that names the plugin when the set is bad.
   */
  async use(plugins: readonly Plugin[]): Promise<void> {
    for (const p of orderPlugins([...this.applied, ...plugins]).filter((p) => !this.applied.includes(p))) {
      await p.apply(this);
      this.applied.push(p);
    }
  }
}

/**
 * Validates a plugin set and returns it in dependency order.
 * @throws Error naming the plugin and the problem (duplicate, bad version range, missing or cyclic dependency).
 */
export function orderPlugins(plugins: readonly Plugin[]): Plugin[] {
  const byName = new Map<string, Plugin>();
  for (const p of plugins) {
    if (typeof p?.name !== 'string' || typeof p.apply !== 'function') {
      throw new Error('invalid plugin: expected an object with a string "name" and an "apply" function');
    }
    if (byName.has(p.name)) throw new Error(`plugin "${p.name}" is loaded twice`);
    if (!semver.valid(p.version)) throw new Error(`plugin "${p.name}": version "${p.version}" is not a semver version`);
    if (p.kernel !== undefined && !semver.satisfies(KERNEL_VERSION, p.kernel)) {
      throw new Error(`plugin "${p.name}" needs kernel ${p.kernel}, but this kernel is ${KERNEL_VERSION}`);
    }
    byName.set(p.name, p);
  }
  const ordered: Plugin[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (p: Plugin, path: string[]): void => {
    if (state.get(p.name) === 'done') return;
    if (state.get(p.name) === 'visiting') throw new Error(`plugin dependency cycle: ${[...path, p.name].join(' -> ')}`);
    state.set(p.name, 'visiting');
    for (const dep of p.dependsOn ?? []) {
      const d = byName.get(dep);
      if (!d) throw new Error(`plugin "${p.name}" depends on "${dep}", which is not loaded`);
      visit(d, [...path, p.name]);
    }
    state.set(p.name, 'done');
    ordered.push(p);
  };
  for (const p of plugins) visit(p, []);
  return ordered;
}
