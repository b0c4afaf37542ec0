import { forEachReported, type CliEnv } from '../context';
import { renderInspect, type ListFormat } from '../format/output';

/**
 * Prints the objects `read` finds for each reference (a pretty JSON array, or one JSON line each with
 * `--format json`); references it cannot find are reported and make the command fail after the rest print.
 */
export async function inspectEach(env: CliEnv, refs: readonly string[], format: ListFormat, read: (ref: string) => Promise<unknown>): Promise<void> {
  const found: unknown[] = [];
  try {
    await forEachReported(env, refs, async (ref) => {
      found.push(await read(ref));
    });
  } finally {
    env.stdout.write(renderInspect(format, found));
  }
}
