import type { Command } from 'commander';
import { forEachReported, println, withDaemon, type CliEnv } from '../../context';
import { UsageError } from '../../errors';
import { parseCount } from '../../format/units';
import { showProgress } from '../../progress/monitor';

/** A `SERVICE=REPLICAS` argument of `service scale`. */
export interface ScaleTarget {
  readonly ref: string;
  readonly replicas: number;
}

/** Reads `web=3`. @throws UsageError naming the argument, e.g. `invalid argument "web=x": expected a non-negative integer, got "x"`. */
export function parseScaleTarget(text: string): ScaleTarget {
  const label = `argument "${text}"`;
  const at = text.indexOf('=');
  if (at <= 0) throw new UsageError(label, 'expected SERVICE=REPLICAS');
  return { ref: text.slice(0, at), replicas: parseCount(text.slice(at + 1), label) };
}

/** `orch service scale SERVICE=REPLICAS…`: checks every argument first, then scales each and shows its progress. */
export function registerServiceScale(service: Command, env: CliEnv): void {
  service
    .command('scale')
    .description('Scale one or more replicated services')
    .argument('<service=replicas...>', 'services and their new replica counts, e.g. web=5')
    .option('-d, --detach', 'exit at once instead of waiting for the services to converge')
    .action(async (args: string[], opts: { detach?: boolean }, cmd: Command) => {
      const targets = args.map(parseScaleTarget);
      await withDaemon(cmd, env, (d) =>
        forEachReported(env, targets, async ({ ref, replicas }) => {
          const { service: scaled } = await d.call('ServiceScale', { ref, replicas });
          println(env, `${ref} scaled to ${replicas}`);
          if (!opts.detach) await showProgress(d, scaled.id, env.stdout);
        }),
      );
    });
}
