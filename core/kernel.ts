import 'reflect-metadata';
import { container as rootContainer, type DependencyContainer, type InjectionToken } from 'tsyringe';
import { AsyncSeriesHook } from 'tapable';
import semver from 'semver';
import type { Logger } from 'pino';
import { Hooks } from './hooks';
import type { PluginInfo } from './model/types';
import { trackTaps } from './plugin-taps';
import { MULTI_PROVIDERS } from './tokens';

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
 * What a plugin declares about itself, checked at boot (`orderPlugins`, then `Kernel.use` as it applies it).
 */
export interface PluginManifest {
  /** Unique name, e.g. `scheduler-spread`. A plugin named like a default plugin replaces it. */
  readonly name: string;
  /** The plugin's own version (semver). */
  readonly version: string;
  /** Kernel versions it works with (a semver range such as `^1.0`). */
  readonly kernel?: string;
  /** Names of plugins that must be applied first. */
  readonly dependsOn?: readonly string[];
  /**
   * Providers it registers with `provide`, by token name (`Scheduler`, `Runtime`, a token of its own).
   * Two plugins cannot provide the same single provider (see `MULTI_PROVIDERS`).
   */
  readonly provides?: readonly string[];
  /** Hooks it taps, by path (`scheduler.filter`, `health.check`); lifecycle hooks need not be listed. */
  readonly taps?: readonly string[];
}

/** An orch plugin: registers providers and taps hooks in its `apply`, run once at boot in dependency order. */
export interface Plugin extends PluginManifest {
  apply(kernel: PluginKernel): void | Promise<void>;
}

/**
 * The kernel as one plugin sees it while it applies: the shared hooks, lifecycle, config and providers,
 * a logger naming it, and a child container of its own (what it registers there stays private; what it
 * `provide`s every plugin and the kernel can resolve).
 */
export interface PluginKernel {
  readonly hooks: Hooks;
  readonly lifecycle: LifecycleHooks;
  readonly config: KernelConfig;
  readonly log: Logger;
  /** Resolves every provider; registrations here are the plugin's own. */
  readonly container: DependencyContainer;
  /** Registers `value` as the provider of `token` for all (declare the token's name in `provides`). */
  provide<T>(token: InjectionToken<T>, value: T): void;
}

/** A plugin as the kernel applied it: what it did (`orch plugin ls`). */
export type LoadedPlugin = PluginInfo;

/** A token's name: a symbol's description, or the string or class name it is. */
export function tokenName(token: InjectionToken<unknown>): string {
  if (typeof token === 'symbol') return token.description ?? token.toString();
  return typeof token === 'string' ? token : (token as { name?: string }).name ?? String(token);
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
export class Kernel implements PluginKernel {
  readonly hooks = new Hooks();
  readonly lifecycle = new LifecycleHooks();
  readonly container: DependencyContainer;
  private readonly applied: Plugin[] = [];
  private readonly records: LoadedPlugin[] = [];
  /** What the plugin being applied has tapped and provided so far. */
  private current: { taps: Set<string>; provides: Set<string> } | undefined;

  constructor(
    readonly config: KernelConfig,
    readonly log: Logger,
    parent: DependencyContainer = rootContainer,
  ) {
    this.container = parent.createChildContainer();
    trackTaps(this.hooks, (path) => this.current?.taps.add(path));
  }

  /** Plugins applied so far, in order. */
  get plugins(): readonly Plugin[] {
    return this.applied;
  }

  /** What each applied plugin tapped and provided, in order. */
  get loaded(): readonly LoadedPlugin[] {
    return this.records;
  }

  provide<T>(token: InjectionToken<T>, value: T): void {
    this.container.register(token, { useValue: value });
    this.current?.provides.add(tokenName(token));
  }

  /**
   * Checks and applies a set of plugins (see `orderPlugins`), dependencies first, each with a view of its
   * own (`PluginKernel`). A plugin that taps a hook or provides a token its manifest does not declare is
   * refused once it applied, naming both.
   * @throws Error naming the plugin when the set is bad (nothing applied) or one breaks its manifest.
   */
  async use(plugins: readonly Plugin[]): Promise<void> {
    for (const p of orderPlugins([...this.applied, ...plugins]).filter((p) => !this.applied.includes(p))) {
      this.current = { taps: new Set(), provides: new Set() };
      try {
        await p.apply(this.viewFor(p));
        const done = this.current;
        checkDeclared(p, 'taps', done.taps);
        checkDeclared(p, 'provides', done.provides);
        this.records.push({ name: p.name, version: p.version, taps: [...done.taps].sort(), provides: [...done.provides].sort() });
      } finally {
        this.current = undefined;
      }
      this.applied.push(p);
    }
  }

  private viewFor(p: Plugin): PluginKernel {
    return {
      hooks: this.hooks,
      lifecycle: this.lifecycle,
      config: this.config,
      log: this.log.child({ plugin: p.name }),
      container: this.container.createChildContainer(),
      provide: (token, value) => this.provide(token, value),
    };
  }
}

/** Refuses a plugin that tapped or provided what its manifest does not list. Lifecycle hooks need no listing. */
function checkDeclared(p: Plugin, field: 'taps' | 'provides', done: ReadonlySet<string>): void {
  const declared = new Set(p[field] ?? []);
  const extra = [...done].filter((x) => !declared.has(x) && !x.startsWith('lifecycle.'));
  if (extra.length > 0) {
    const verb = field === 'taps' ? 'taps' : 'provides';
    throw new Error(`plugin "${p.name}" ${verb} ${extra.join(', ')} but its manifest does not declare it: add ${extra.map((x) => JSON.stringify(x)).join(', ')} to "${field}"`);
  }
}

/**
 * Validates a plugin set and returns it in dependency order.
 * @throws Error naming the plugin and the problem (duplicate, bad version range, missing or cyclic
 * dependency, a single provider declared by two plugins).
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
  refuseDoubleProviders(plugins);
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

/** Refuses two plugins that declare the same single provider (a second scheduler needs the first disabled). */
function refuseDoubleProviders(plugins: readonly Plugin[]): void {
  const by = new Map<string, string>();
  for (const p of plugins) {
    for (const token of p.provides ?? []) {
      const other = by.get(token);
      if (other !== undefined && !MULTI_PROVIDERS.has(token)) {
        throw new Error(`plugins "${other}" and "${p.name}" both provide ${token}: disable one (e.g. "disable": ["${other}"] in the data dir's orch.json)`);
      }
      by.set(token, p.name);
    }
  }
}
