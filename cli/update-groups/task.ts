import type { ServiceSpec, TaskSpec } from '../../core/model/types';
import { resourceFields, restartFields } from '../task-flags';
import { unchanged, type FlagGroup } from './flag-group';

function withTask(spec: ServiceSpec, fields: Partial<TaskSpec>): ServiceSpec {
  return { ...spec, task: { ...spec.task, ...fields } };
}

/** `--reserve-cpu/-memory` and `--limit-cpu/-memory`: each sets its own field (0 clears it, as in docker). */
export const resourcesChange: FlagGroup = (flags) => {
  const reservations = resourceFields(flags.reserveCpu, flags.reserveMemory, '--reserve');
  const limits = resourceFields(flags.limitCpu, flags.limitMemory, '--limit');
  if (Object.keys(reservations).length === 0 && Object.keys(limits).length === 0) return unchanged;
  return (spec) => {
    const now = spec.task.resources;
    return withTask(spec, { resources: { reservations: { ...now.reservations, ...reservations }, limits: { ...now.limits, ...limits } } });
  };
};

/** `--restart-condition/-delay/-max-attempts/-window`: the restart policy's fields they name. */
export const restartChange: FlagGroup = (flags) => {
  const fields = restartFields(flags);
  if (Object.keys(fields).length === 0) return unchanged;
  return (spec) => withTask(spec, { restartPolicy: { ...spec.task.restartPolicy, ...fields } as TaskSpec['restartPolicy'] });
};
