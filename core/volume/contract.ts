import type { Labels } from '../model/types';

/** A named volume as a driver reports it (`orch volume ls/inspect`). */
export interface Volume {
  readonly name: string;
  /** The driver that made it. */
  readonly driver: string;
  /** Where its data is on this node's host, once known. */
  readonly mountpoint?: string;
  readonly labels: Labels;
  /** The driver options it was created with. */
  readonly options: Labels;
  readonly createdAt?: string;
  /** `local`: each node has its own volume of that name; `global`: one volume for the cluster. */
  readonly scope: 'local' | 'global';
  /** Anything more the driver reports. */
  readonly status?: Readonly<Record<string, unknown>>;
}

/**
 * A volume driver (provider `Tokens.VolumeDriver`, one per `name`; more come from the `volume.driver`
 * hook): makes named volumes on this node and gives each task that mounts one a host path to bind. The
 * agent calls `create` (idempotent: an existing volume of that name is returned as it is) then `mount`
 * before a task is prepared, and `unmount` once the task's runtime resources are removed; `orch volume`
 * calls the rest. Errors say what is wrong in words a user can act on.
 */
export interface VolumeDriver {
  /** Name used in `--mount volume-driver=NAME` and `orch volume create --driver NAME`. */
  readonly name: string;
  /** Makes the volume, or returns the one of that name. Refuses options it does not know, naming them. */
  create(name: string, options: Labels, labels: Labels): Promise<Volume>;
  /** Deletes the volume and its data; refuses while a task has it mounted. A missing volume is no error. */
  remove(name: string): Promise<void>;
  /** Makes the volume available to mount `mountId` (a task id) and returns its host path. */
  mount(name: string, mountId: string): Promise<string>;
  /** Ends mount `mountId`. Unknown mounts are no error. */
  unmount(name: string, mountId: string): Promise<void>;
  /** The volume of that name, if any. */
  get(name: string): Promise<Volume | undefined>;
  list(): Promise<Volume[]>;
}
