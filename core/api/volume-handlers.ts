import { OrchError } from '../errors';
import type { VolumeMounter } from '../agent/volume-mounter';
import { DEFAULT_VOLUME_DRIVER } from '../agent/volume-mounter';
import { arr, obj, opt, str, strMap, type Json } from '../model/check';
import type { Volume } from '../volume/contract';
import type { ControlApi } from './contract';

type Filters = NonNullable<ControlApi['VolumeList']['req']['filters']>;

/** True when `v` passes every filter given (each filter: any of its values). Pure. */
export function matchesVolumeFilters(v: Volume, f: Filters): boolean {
  const label = (l: string) => {
    const at = l.indexOf('=');
    return at < 0 ? Object.hasOwn(v.labels, l) : v.labels[l.slice(0, at)] === l.slice(at + 1);
  };
  return (!f.name || f.name.some((n) => v.name.includes(n))) && (!f.driver || f.driver.includes(v.driver)) && (!f.label || f.label.every(label));
}

const strings = (x: Json, f: string) => arr(x, f, (s, fs) => str(s, fs));

/** The node-local volume methods of the control API, over the node's volume drivers. */
export function volumeHandlers(volumes: VolumeMounter) {
  /** The volume of that name, with the driver that has it. */
  const find = async (name: string): Promise<Volume> => {
    for (const d of volumes.known()) {
      const v = await d.get(name);
      if (v) return v;
    }
    throw new OrchError('not-found', `no volume "${name}" on this node`, 'name');
  };

  return {
    VolumeCreate: async (req: Json): Promise<ControlApi['VolumeCreate']['res']> => {
      const o = obj(req, 'request');
      const name = str(o.name, 'name', { nonEmpty: true });
      const driver = await volumes.driver(opt(o.driver, 'driver', (x, f) => str(x, f, { nonEmpty: true })) ?? DEFAULT_VOLUME_DRIVER);
      return { volume: await driver.create(name, opt(o.options, 'options', strMap) ?? {}, opt(o.labels, 'labels', strMap) ?? {}) };
    },
    VolumeList: async (req: Json): Promise<ControlApi['VolumeList']['res']> => {
      const f = obj(obj(req, 'request').filters ?? {}, 'filters');
      const filters: Filters = { name: opt(f.name, 'filters.name', strings), driver: opt(f.driver, 'filters.driver', strings), label: opt(f.label, 'filters.label', strings) };
      const all = (await Promise.all(volumes.known().map((d) => d.list()))).flat();
      return { volumes: all.filter((v) => matchesVolumeFilters(v, filters)).sort((a, b) => a.name.localeCompare(b.name)) };
    },
    VolumeInspect: async (req: Json): Promise<ControlApi['VolumeInspect']['res']> => ({ volume: await find(str(obj(req, 'request').name, 'name', { nonEmpty: true })) }),
    VolumeRemove: async (req: Json): Promise<ControlApi['VolumeRemove']['res']> => {
      const v = await find(str(obj(req, 'request').name, 'name', { nonEmpty: true }));
      await (await volumes.driver(v.driver)).remove(v.name);
      return {};
    },
  };
}
