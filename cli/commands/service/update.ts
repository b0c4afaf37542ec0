import type { Command } from 'commander';
import type { Json } from '../../../core/model/check';
import type { ServiceSpec } from '../../../core/model/types';
import { println, withDaemon, type CliEnv } from '../../context';
import { UsageError } from '../../errors';
import { collect } from '../../options';
import { showProgress } from '../../progress/monitor';
import { checkedSpec } from '../../service-flags';
import { withTaskOptions } from '../../task-flags';
import type { ServiceUpdateFlags } from '../../update-groups/flag-group';
import { readUpdateFlags } from '../../update-groups';
import { withUpdateConfigOptions } from '../../update-flags';

/** Flags that only say how the command runs, not what changes. */
const NOT_CHANGES = new Set(['detach', 'rollback', 'quiet']);

/** The first flag given that changes the spec (commander sets `healthcheck: true` unless `--no-healthcheck`). */
function changeFlag(opts: ServiceUpdateFlags): string | undefined {
  return Object.entries(opts).find(([k, v]) => !NOT_CHANGES.has(k) && v !== undefined && !(k === 'healthcheck' && v === true))?.[0];
}

/** `orch service update [OPTIONS] SERVICE`: reads the service, changes its spec, and sends it back as a new version. */
export function registerServiceUpdate(service: Command, env: CliEnv): void {
  withTaskOptions(withUpdateConfigOptions(service.command('update')))
    .description('Update a service (each update is a new spec version, rolled out to the tasks)')
    .argument('<service>', 'service name, ID or ID prefix')
    .option('--image <image>', 'image the tasks run')
    .option('--args <command>', 'the arguments of the tasks, as one string split as a shell would')
    .option('--env-add <key=value>', 'add or replace an environment variable (repeatable)', collect)
    .option('--env-rm <key>', 'remove an environment variable (repeatable)', collect)
    .option('--replicas <n>', 'number of tasks')
    .option('--publish-add <port>', 'publish a port, as --publish of service create takes it (repeatable)', collect)
    .option('--publish-rm <port>', 'stop publishing a port: PUBLISHED[/PROTOCOL], or a full port spec such as 8080:80 or target=80 (repeatable)', collect)
    .option('--mount-add <mount>', 'add or replace a mount, as --mount of service create takes it (repeatable)', collect)
    .option('--mount-rm <target>', 'remove the mount at a target path (repeatable)', collect)
    .option('--constraint-add <expr>', 'add a placement constraint (repeatable)', collect)
    .option('--constraint-rm <expr>', 'remove a placement constraint (repeatable)', collect)
    .option('--placement-pref-add <pref>', 'add a placement preference, spread=<node attribute> (repeatable)', collect)
    .option('--placement-pref-rm <pref>', 'remove a placement preference (repeatable)', collect)
    .option('--label-add <key=value>', 'add or replace a service label (repeatable)', collect)
    .option('--label-rm <key>', 'remove a service label (repeatable)', collect)
    .option('--force', 'replace every task even if nothing changed')
    .option('--rollback', 'roll back to the previous spec (as `service rollback`)')
    .option('-d, --detach', 'exit at once instead of showing the update until it converges')
    .action(async (ref: string, opts: ServiceUpdateFlags, cmd: Command) => {
      if (opts.rollback) {
        if (changeFlag(opts) !== undefined) throw new UsageError('--rollback', 'cannot be combined with flags that change the spec');
        await rollBack(cmd, env, ref, opts);
        return;
      }
      const change = readUpdateFlags(opts);
      await withDaemon(cmd, env, async (d) => {
        const { service: current } = await d.call('ServiceInspect', { ref });
        const spec: ServiceSpec = checkedSpec(change(current.spec, current) as unknown as Json);
        const { service: updated } = await d.call('ServiceUpdate', { ref: current.id, spec, version: current.meta.version });
        println(env, ref);
        if (!opts.detach) await showProgress(d, updated.id, env.stdout, 'update');
      });
    });
}

/** Rolls a service back to its previous spec and, unless detached, shows the rollback until it converges. */
async function rollBack(cmd: Command, env: CliEnv, ref: string, opts: { readonly detach?: boolean; readonly quiet?: boolean }): Promise<void> {
  await withDaemon(cmd, env, async (d) => {
    const { service } = await d.call('ServiceRollback', { ref });
    println(env, ref);
    if (!opts.detach && !opts.quiet) await showProgress(d, service.id, env.stdout, 'rollback');
  });
}

/** `orch service rollback [-d] [-q] SERVICE`: puts the service back on its previous spec. */
export function registerServiceRollback(service: Command, env: CliEnv): void {
  service
    .command('rollback')
    .description("Revert a service's spec to its previous version, rolled out with its rollback config")
    .argument('<service>', 'service name, ID or ID prefix')
    .option('-d, --detach', 'exit at once instead of showing the rollback until it converges')
    .option('-q, --quiet', 'suppress the progress output')
    .action((ref: string, opts: { detach?: boolean; quiet?: boolean }, cmd: Command) => rollBack(cmd, env, ref, opts));
}
