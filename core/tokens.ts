import type { InjectionToken } from 'tsyringe';
import type { ClusterStore } from './store/contract';
import type { ReplicatedLog } from './store/replicated-log';
import type { Runtime } from './runtime/contract';
import type { Scheduler } from './scheduler/contract';
import type { CertificateAuthority } from './cluster/ca-contract';
import type { NetworkDriver } from './network/contract';
import type { VolumeDriver } from './volume/contract';

/**
 * Typed DI tokens for providers: the extension points with exactly one active implementation
 * (runtimes: one per name, all registered under `Runtime` and resolved with `resolveAll`).
 */
export const Tokens = {
  /** The cluster store every control loop reads and writes. */
  ClusterStore: Symbol('ClusterStore') as InjectionToken<ClusterStore>,
  /** The replicated log under the store. */
  Consensus: Symbol('Consensus') as InjectionToken<ReplicatedLog>,
  /** Task runtimes of this node, one per name. */
  Runtime: Symbol('Runtime') as InjectionToken<Runtime>,
  /** Places pending tasks on nodes. */
  Scheduler: Symbol('Scheduler') as InjectionToken<Scheduler>,
  /** Network drivers of this node, one per name. */
  NetworkDriver: Symbol('NetworkDriver') as InjectionToken<NetworkDriver>,
  /** Volume drivers of this node, one per name. */
  VolumeDriver: Symbol('VolumeDriver') as InjectionToken<VolumeDriver>,
  /** Certificates and join tokens of the cluster. */
  CertificateAuthority: Symbol('CertificateAuthority') as InjectionToken<CertificateAuthority>,
} as const;

/** Providers of which several may be registered (each plugin adds its own); every other token has one provider. */
export const MULTI_PROVIDERS: ReadonlySet<string> = new Set(['Runtime', 'NetworkDriver', 'VolumeDriver']);
