import { ValidationError } from '../errors';
import { arr, bool, int, noExtraKeys, obj, oneOf, opt, str, strMap, type Json } from './check';
import type { Mount } from './types';

const ABSOLUTE = /^\/\S*$/;
/** Volume names as Docker's local driver takes them. */
const VOLUME_NAME = /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/;

/**
 * Validates a task's mounts: each target an absolute path, used once; a bind's source an absolute path; a
 * volume's source a volume name (or none: an anonymous volume); a tmpfs without source. Options only where
 * their type takes them.
 * @throws ValidationError naming the bad field, e.g. `task.container.mounts[1].source`.
 */
export function parseMounts(v: Json, field: string): Mount[] {
  const mounts = arr(v, field, parseMount);
  mounts.forEach((m, i) => {
    const first = mounts.findIndex((o) => o.target === m.target);
    if (first < i) throw new ValidationError(`${field}[${i}].target`, `"${m.target}" is already the target of ${field}[${first}]`);
  });
  return mounts;
}

function parseMount(v: Json, f: string): Mount {
  const o = obj(v, f);
  noExtraKeys(o, f, ['type', 'source', 'target', 'readOnly', 'volume', 'tmpfs']);
  const type = oneOf(o.type, `${f}.type`, ['volume', 'bind', 'tmpfs']);
  const target = str(o.target, `${f}.target`, { pattern: ABSOLUTE, expected: 'is not an absolute path' });
  const only = (key: 'volume' | 'tmpfs') => {
    if (o[key] !== undefined && type !== key) throw new ValidationError(`${f}.${key}`, `only a ${key} mount takes ${key} options`);
  };
  only('volume');
  only('tmpfs');
  let source: string | undefined;
  if (type === 'bind') source = str(o.source, `${f}.source`, { pattern: ABSOLUTE, expected: 'is not an absolute host path' });
  else if (type === 'volume') source = opt(o.source, `${f}.source`, (x, fx) => str(x, fx, { pattern: VOLUME_NAME, expected: 'is not a volume name: expected letters, digits, "_", "." or "-"' }));
  else if (o.source !== undefined) throw new ValidationError(`${f}.source`, 'a tmpfs mount has no source');
  const readOnly = opt(o.readOnly, `${f}.readOnly`, bool);
  return {
    type,
    ...(source !== undefined && { source }),
    target,
    ...(readOnly && { readOnly }),
    ...(o.volume !== undefined && { volume: parseVolumeOptions(o.volume, `${f}.volume`) }),
    ...(o.tmpfs !== undefined && { tmpfs: parseTmpfsOptions(o.tmpfs, `${f}.tmpfs`) }),
  };
}

function parseVolumeOptions(v: Json, f: string): NonNullable<Mount['volume']> {
  const o = obj(v, f);
  noExtraKeys(o, f, ['driver', 'options', 'labels']);
  const driver = opt(o.driver, `${f}.driver`, (x, fx) => str(x, fx, { nonEmpty: true }));
  const options = opt(o.options, `${f}.options`, strMap);
  const labels = opt(o.labels, `${f}.labels`, strMap);
  return { ...(driver !== undefined && { driver }), ...(options !== undefined && { options }), ...(labels !== undefined && { labels }) };
}

function parseTmpfsOptions(v: Json, f: string): NonNullable<Mount['tmpfs']> {
  const o = obj(v, f);
  noExtraKeys(o, f, ['sizeBytes', 'mode']);
  const sizeBytes = opt(o.sizeBytes, `${f}.sizeBytes`, (x, fx) => int(x, fx, 0));
  const mode = opt(o.mode, `${f}.mode`, (x, fx) => int(x, fx, 0, 0o7777));
  return { ...(sizeBytes !== undefined && { sizeBytes }), ...(mode !== undefined && { mode }) };
}
