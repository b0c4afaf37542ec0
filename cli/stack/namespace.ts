import type { Labels } from '../../core/model/types';
import { UsageError } from '../errors';

/** The label docker puts on everything a stack owns: its value is the stack's name. */
const NAMESPACE_LABEL = 'com.docker.stack.namespace';
/** The label docker puts on a stack's services: the image the compose file names. */
export const IMAGE_LABEL = 'com.docker.stack.image';

const STACK_NAME = /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/;

/**
 * Checks a stack name as docker does: letters, digits, `_`, `.` or `-`, starting with a letter or digit.
 * @throws UsageError naming the argument.
 */
export function checkStackName(name: string): string {
  if (!STACK_NAME.test(name)) throw new UsageError('stack name', `"${name}" is not a stack name: expected letters, digits, "_", "." or "-", starting with a letter or digit`);
  return name;
}

/** The name a stack gives one of its objects: `STACK_name`. */
export function scopedName(stack: string, name: string): string {
  return `${stack}_${name}`;
}

/** `labels` with the stack's namespace label added. */
export function withNamespace(stack: string, labels: Labels = {}): Labels {
  return { ...labels, [NAMESPACE_LABEL]: stack };
}

/** The stack an object belongs to, from its labels (undefined when none). */
export function stackOf(labels: Labels): string | undefined {
  return labels[NAMESPACE_LABEL];
}
