import * as path from 'node:path';
import type { Mount } from '../../core/model/types';
import { UsageError } from '../errors';
import { withNamespace } from './namespace';
import { isMapping, itemPath, keyPath } from './paths';
import { topLevelEntry } from './top-level';
import { bytes, choice, flag, labels, list, mapping, text, texts } from './values';

/** A top-level volume: the name tasks mount it by, and (unless external) how its driver makes it. */
export interface StackVolume {
  readonly source: string;
  readonly volume?: Mount['volume'];
}

/** What mounts are resolved against: the stack's volumes, and the directories relative paths start from. */
export interface MountContext {
  readonly volumes: ReadonlyMap<string, StackVolume>;
  readonly workingDir: string;
  readonly home: string;
}

/**
 * The top-level `volumes`: each named `STACK_key` unless external or given a `name`; the others carry their
 * driver, driver options and labels (with the stack's namespace) to every mount of them. Pure.
 * @throws UsageError naming the path of a bad setting.
 */
export function convertVolumes(stack: string, volumes: unknown): Map<string, StackVolume> {
  return new Map(
    Object.entries(mapping(volumes, 'volumes')).map(([key, v]) => {
      const p = keyPath('volumes', key);
      const { name, external, entry } = topLevelEntry('volume', stack, key, v);
      if (external) return [key, { source: name }];
      const driver = entry.driver === undefined ? undefined : text(entry.driver, keyPath(p, 'driver'));
      const options = entry.driver_opts === undefined ? undefined : labels(entry.driver_opts, keyPath(p, 'driver_opts'));
      const volume = { ...(driver !== undefined && { driver }), ...(options !== undefined && { options }), labels: withNamespace(stack, labels(entry.labels, keyPath(p, 'labels'))) };
      return [key, { source: name, volume }];
    }),
  );
}

/** A bind source as an absolute path: `./x` and `x/y` against the compose file's directory, `~/x` against home. */
function hostPath(source: string, ctx: MountContext): string {
  if (source === '~' || source.startsWith('~/')) return path.join(ctx.home, source.slice(1));
  return path.resolve(ctx.workingDir, source);
}

/** The mount of a source: a bind for a path, else a volume declared at the top level. */
function sourced(source: string, target: string, p: string, ctx: MountContext, type?: 'volume' | 'bind'): Mount {
  const isPath = /^[./~]/.test(source);
  if (type === 'bind' || (type === undefined && isPath)) return { type: 'bind', source: hostPath(source, ctx), target };
  const declared = ctx.volumes.get(source);
  if (!declared) throw new UsageError(p, `volume "${source}" is not declared under the top-level volumes`);
  return { type: 'volume', source: declared.source, target, ...(declared.volume && { volume: declared.volume }) };
}

/** `[SOURCE:]TARGET[:MODE]`, MODE being `ro` or `rw` (and docker's consistency flags, which mean nothing here). */
function shortMount(spec: string, p: string, ctx: MountContext): Mount {
  const parts = spec.split(':');
  if (parts.length > 3 || parts.some((x) => x === '')) throw new UsageError(p, `"${spec}" is not a volume: expected [SOURCE:]TARGET[:ro|rw]`);
  if (parts.length === 1) return { type: 'volume', target: parts[0] };
  const modes = (parts[2] ?? 'rw').split(',');
  for (const m of modes) {
    if (!['ro', 'rw', 'consistent', 'cached', 'delegated'].includes(m)) throw new UsageError(p, `mode "${m}" in "${spec}" is not supported: expected ro or rw`);
  }
  const mount = sourced(parts[0], parts[1], p, ctx);
  return modes.includes('ro') ? { ...mount, readOnly: true } : mount;
}

/** The long syntax: `type`, `source`, `target`, `read_only`, `volume.nocopy` (false only), `tmpfs.size`. */
function longMount(o: Readonly<Record<string, unknown>>, p: string, ctx: MountContext): Mount {
  const type = choice(o.type ?? 'volume', keyPath(p, 'type'), ['volume', 'bind', 'tmpfs']);
  if (o.target === undefined) throw new UsageError(keyPath(p, 'target'), 'required');
  const target = text(o.target, keyPath(p, 'target'));
  const nocopy = mapping(o.volume, keyPath(p, 'volume')).nocopy;
  if (nocopy !== undefined && flag(nocopy, keyPath(p, 'volume.nocopy'))) throw new UsageError(keyPath(p, 'volume.nocopy'), 'not supported: orch always copies the image\'s files into a new volume');
  const size = mapping(o.tmpfs, keyPath(p, 'tmpfs')).size;
  let mount: Mount;
  if (type === 'tmpfs') {
    if (o.source !== undefined) throw new UsageError(keyPath(p, 'source'), 'a tmpfs mount has no source');
    mount = { type, target, ...(size !== undefined && { tmpfs: { sizeBytes: bytes(size, keyPath(p, 'tmpfs.size')) } }) };
  } else {
    if (size !== undefined) throw new UsageError(keyPath(p, 'tmpfs'), 'only a tmpfs mount takes tmpfs options');
    if (o.source === undefined && type === 'bind') throw new UsageError(keyPath(p, 'source'), 'required for a bind mount');
    mount = o.source === undefined ? { type, target } : sourced(text(o.source, keyPath(p, 'source')), target, keyPath(p, 'source'), ctx, type);
  }
  return o.read_only !== undefined && flag(o.read_only, keyPath(p, 'read_only')) ? { ...mount, readOnly: true } : mount;
}

/**
 * A service's mounts: its `volumes` (short `name:/path[:ro]`, `/host:/path`, `./rel:/path`, `/path`, or
 * long syntax) and its `tmpfs` paths. Pure.
 * @throws UsageError naming the path of a bad entry (an undeclared volume, an unsupported mode…).
 */
export function convertMounts(service: Readonly<Record<string, unknown>>, p: string, ctx: MountContext): Mount[] {
  const volumesPath = keyPath(p, 'volumes');
  const mounts = list(service.volumes, volumesPath).map((v, i) =>
    isMapping(v) ? longMount(v, itemPath(volumesPath, i), ctx) : shortMount(text(v, itemPath(volumesPath, i)), itemPath(volumesPath, i), ctx),
  );
  const tmpfs = service.tmpfs === undefined ? [] : texts(service.tmpfs, keyPath(p, 'tmpfs'));
  return [...mounts, ...tmpfs.map((target): Mount => ({ type: 'tmpfs', target }))];
}
