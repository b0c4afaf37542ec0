import { OrchError } from '../../core/errors';
import type { Labels } from '../../core/model/types';
import type { Volume, VolumeDriver } from '../../core/volume/contract';
import type { PluginAddress } from './discovery';
import { callPlugin, PluginError } from './plugin-client';

/** A volume as the protocol's Get and List answer it. */
interface WireVolume {
  readonly Name: string;
  readonly Mountpoint?: string;
  readonly CreatedAt?: string;
  readonly Status?: Record<string, unknown>;
}

/**
 * A volume driver that is a Docker volume plugin, spoken to over Docker's plugin protocol (VolumeDriver.*),
 * so existing plugins work as they are. The protocol keeps no labels: those given at create are kept here
 * while the daemon runs.
 */
export class DockerVolumeDriver implements VolumeDriver {
  private readonly labels = new Map<string, Labels>();

  constructor(
    readonly name: string,
    private readonly addr: PluginAddress,
    private readonly scope: 'local' | 'global',
  ) {}

  async create(name: string, options: Labels, labels: Labels): Promise<Volume> {
    const existing = await this.get(name);
    if (existing) return existing;
    await this.call('VolumeDriver.Create', { Name: name, Opts: options });
    this.labels.set(name, labels);
    const made = await this.get(name);
    return made ?? { name, driver: this.name, labels, options, scope: this.scope };
  }

  async remove(name: string): Promise<void> {
    if (!(await this.get(name))) return;
    await this.call('VolumeDriver.Remove', { Name: name });
    this.labels.delete(name);
  }

  async mount(name: string, mountId: string): Promise<string> {
    const { Mountpoint } = await this.call<{ Mountpoint?: string }>('VolumeDriver.Mount', { Name: name, ID: mountId });
    if (!Mountpoint) throw new OrchError('unavailable', `volume plugin ${this.name} mounted ${name} but gave no mountpoint`);
    return Mountpoint;
  }

  async unmount(name: string, mountId: string): Promise<void> {
    await this.call('VolumeDriver.Unmount', { Name: name, ID: mountId });
  }

  /** The volume; a plugin's refusal of Get means it has none of that name. */
  async get(name: string): Promise<Volume | undefined> {
    try {
      const { Volume: v } = await callPlugin<{ Volume?: WireVolume }>(this.addr, 'VolumeDriver.Get', { Name: name });
      return v && this.describe(v);
    } catch (err) {
      if (err instanceof PluginError) return undefined;
      throw this.failure('VolumeDriver.Get', err);
    }
  }

  async list(): Promise<Volume[]> {
    const { Volumes } = await this.call<{ Volumes?: WireVolume[] }>('VolumeDriver.List', {});
    return (Volumes ?? []).map((v) => this.describe(v));
  }

  private describe(v: WireVolume): Volume {
    return {
      name: v.Name,
      driver: this.name,
      ...(v.Mountpoint && { mountpoint: v.Mountpoint }),
      labels: this.labels.get(v.Name) ?? {},
      options: {},
      ...(v.CreatedAt && { createdAt: v.CreatedAt }),
      scope: this.scope,
      ...(v.Status && { status: v.Status }),
    };
  }

  private async call<R = Record<string, never>>(method: string, body: object): Promise<R> {
    try {
      return await callPlugin<R>(this.addr, method, body);
    } catch (err) {
      throw this.failure(method, err);
    }
  }

  private failure(method: string, err: unknown): OrchError {
    const refused = err instanceof PluginError;
    return new OrchError(refused ? 'invalid' : 'unavailable', `volume plugin ${this.name}: ${refused ? '' : `${method} failed: `}${(err as Error).message}`);
  }
}
