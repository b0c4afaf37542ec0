import type { Command } from 'commander';
import { withDaemon, type CliEnv } from '../../context';
import { parseFormat } from '../../format/output';
import { inspectEach } from '../inspect';

/** `orch service inspect SERVICE…`. */
export function registerServiceInspect(service: Command, env: CliEnv): void {
  service
    .command('inspect')
    .description('Display detailed information on one or more services')
    .argument('<service...>', 'service names, IDs or ID prefixes')
    .option('--format <format>', 'print one JSON object per line ("json") instead of a JSON array')
    .action(async (refs: string[], opts: { format?: string }, cmd: Command) => {
      const format = parseFormat(opts.format);
      await withDaemon(cmd, env, (d) => inspectEach(env, refs, format, async (ref) => (await d.call('ServiceInspect', { ref })).service));
    });
}
