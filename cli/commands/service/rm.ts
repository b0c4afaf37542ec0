import type { Command } from 'commander';
import { forEachReported, println, withDaemon, type CliEnv } from '../../context';

/** `orch service rm SERVICE…`: removes each, reporting failures and carrying on. */
export function registerServiceRemove(service: Command, env: CliEnv): void {
  service
    .command('rm')
    .description('Remove one or more services')
    .argument('<service...>', 'service names, IDs or ID prefixes')
    .action(async (refs: string[], _opts: unknown, cmd: Command) => {
      await withDaemon(cmd, env, (d) =>
        forEachReported(env, refs, async (ref) => {
          await d.call('ServiceRemove', { ref });
          println(env, ref);
        }),
      );
    });
}
