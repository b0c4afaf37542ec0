import { DEFAULT_UPDATE_CONFIG } from '../../core/model/service-spec';
import { UsageError } from '../errors';
import { parseCount } from '../format/units';
import { parseKeyValue, parseLabels } from '../key-value';
import { CONFIG_FIELD, configFields, type ConfigKind } from '../update-flags';
import { unchanged, type FlagGroup } from './flag-group';

/** `--replicas N`: a replicated service's replica count (a global service refuses it). */
export const replicasChange: FlagGroup = (flags) => {
  if (flags.replicas === undefined) return unchanged;
  const replicas = parseCount(flags.replicas, '--replicas');
  return (spec, current) => {
    if (!('replicated' in spec.mode)) throw new UsageError('--replicas', `service ${current.spec.name} is global: only a replicated service has replicas`);
    return { ...spec, mode: { replicated: { replicas } } };
  };
};

/** `--label-rm KEY` then `--label-add KEY[=VALUE]`: the service's labels. */
export const labelChanges: FlagGroup = (flags) => {
  const remove = (flags.labelRm ?? []).map((k) => parseKeyValue(k, '--label-rm').key);
  const add = parseLabels(flags.labelAdd ?? [], '--label-add');
  if (remove.length === 0 && Object.keys(add).length === 0) return unchanged;
  return (spec) => ({ ...spec, labels: { ...Object.fromEntries(Object.entries(spec.labels).filter(([k]) => !remove.includes(k))), ...add } });
};

/** `--force`: bumps the task spec's `forceUpdate`, so that every task is replaced although nothing else changed. */
export const forceChange: FlagGroup = (flags) => (spec) =>
  flags.force ? { ...spec, task: { ...spec.task, forceUpdate: (spec.task.forceUpdate ?? 0) + 1 } } : spec;

/** The `--update-*` or `--rollback-*` flags: the fields of the spec's update or rollback config they set. */
const configChange =
  (kind: ConfigKind): FlagGroup =>
  (flags) => {
    const fields = configFields(flags, kind);
    if (Object.keys(fields).length === 0) return unchanged;
    const field = CONFIG_FIELD[kind];
    return (spec) => ({ ...spec, [field]: { ...(spec[field] ?? DEFAULT_UPDATE_CONFIG), ...fields } });
  };

/** `--update-*`: the update config's fields they name. */
export const updateConfigChange = configChange('update');
/** `--rollback-*`: the rollback config's fields they name. */
export const rollbackConfigChange = configChange('rollback');
