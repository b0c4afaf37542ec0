import type { Mount } from '../core/model/types';
import { UsageError } from './errors';
import { parseBytes } from './format/units';

const FORM = 'expected type=volume|bind|tmpfs,source=…,target=…[,readonly][,volume-driver=…][,volume-opt=K=V][,volume-label=K=V][,tmpfs-size=…][,tmpfs-mode=…]';

function yes(value: string | undefined, flag: string, key: string): boolean {
  if (value === undefined || ['true', '1'].includes(value)) return true;
  if (['false', '0'].includes(value)) return false;
  throw new UsageError(flag, `${key}=${value}: expected true or false`);
}

function pair(value: string | undefined, flag: string, key: string): [string, string] {
  const at = value?.indexOf('=') ?? -1;
  if (value === undefined || at <= 0) throw new UsageError(flag, `${key} needs KEY=VALUE, got "${value ?? ''}"`);
  return [value.slice(0, at), value.slice(at + 1)];
}

/**
 * Reads a `--mount` value as docker's `service create` takes it (type volume unless given). The spec check
 * then refuses what does not fit the type (e.g. a relative bind source). Pure.
 * @throws UsageError naming the flag and the key at fault.
 */
export function parseMountFlag(text: string, flag = '--mount'): Mount {
  const fields: Record<string, unknown> = { type: 'volume' };
  const volume: { driver?: string; options?: Record<string, string>; labels?: Record<string, string> } = {};
  const tmpfs: { sizeBytes?: number; mode?: number } = {};
  for (const part of text.split(',')) {
    const at = part.indexOf('=');
    const key = (at < 0 ? part : part.slice(0, at)).trim().toLowerCase();
    const value = at < 0 ? undefined : part.slice(at + 1);
    const need = () => {
      if (value === undefined || value === '') throw new UsageError(flag, `${key} needs a value in "${text}": ${FORM}`);
      return value;
    };
    if (key === 'type') fields.type = need();
    else if (key === 'source' || key === 'src') fields.source = need();
    else if (key === 'target' || key === 'destination' || key === 'dst') fields.target = need();
    else if (key === 'readonly' || key === 'ro') fields.readOnly = yes(value, flag, key);
    else if (key === 'volume-driver') volume.driver = need();
    else if (key === 'volume-opt') volume.options = Object.fromEntries([...Object.entries(volume.options ?? {}), pair(value, flag, key)]);
    else if (key === 'volume-label') volume.labels = Object.fromEntries([...Object.entries(volume.labels ?? {}), pair(value, flag, key)]);
    else if (key === 'tmpfs-size') tmpfs.sizeBytes = parseBytes(need(), flag);
    else if (key === 'tmpfs-mode') {
      if (!/^[0-7]{1,4}$/.test(need())) throw new UsageError(flag, `tmpfs-mode=${value}: expected an octal file mode such as 1777`);
      tmpfs.mode = parseInt(need(), 8);
    } else throw new UsageError(flag, `unknown key "${key}" in "${text}": ${FORM}`);
  }
  if (fields.target === undefined) throw new UsageError(flag, `"${text}" has no target: ${FORM}`);
  if (!['volume', 'bind', 'tmpfs'].includes(fields.type as string)) throw new UsageError(flag, `type=${String(fields.type)}: expected volume, bind or tmpfs`);
  if (Object.keys(volume).length > 0) fields.volume = volume;
  if (Object.keys(tmpfs).length > 0) fields.tmpfs = tmpfs;
  return fields as unknown as Mount;
}
