import type { Command } from 'commander';
import { forEachReported, println, withDaemon, type CliEnv } from '../context';
import { parseFilters } from '../filters';
import { parseFormat, renderList } from '../format/output';
import { parseLabels } from '../key-value';
import { randomVolumeName } from '../names';
import { collect } from '../options';
import { VOLUME_COLUMNS, volumeRow } from '../views/volumes';
import { inspectEach } from './inspect';

/** `orch volume create`, `ls`, `inspect`, `rm`: the volumes of the node the CLI talks to, as `docker volume` does. */
export function registerVolumeCommands(program: Command, env: CliEnv): void {
  const volume = program.command('volume').description("Manage this node's volumes");

  volume
    .command('create')
    .description('Create a volume on this node; prints its name')
    .argument('[name]', 'volume name (default: a generated one)')
    .option('-d, --driver <driver>', 'volume driver: local, or a Docker volume plugin installed on this node (default: local)')
    .option('-o, --opt <key=value>', 'driver option (repeatable)', collect)
    .option('--label <key=value>', 'volume label (repeatable)', collect)
    .action(async (name: string | undefined, opts: { driver?: string; opt?: string[]; label?: string[] }, cmd: Command) => {
      const req = { name: name ?? randomVolumeName(), ...(opts.driver !== undefined && { driver: opts.driver }), options: parseLabels(opts.opt ?? [], '--opt'), labels: parseLabels(opts.label ?? [], '--label') };
      const { volume: made } = await withDaemon(cmd, env, (d) => d.call('VolumeCreate', req));
      println(env, made.name);
    });

  volume
    .command('ls')
    .description("List this node's volumes")
    .option('-q, --quiet', 'only display volume names')
    .option('--format <format>', 'print one JSON object per volume ("json"), or a table ("table", the default)')
    .option('-f, --filter <key=value>', 'filter by name=, driver= or label=KEY[=VALUE] (repeatable)', collect)
    .action(async (opts: { quiet?: boolean; format?: string; filter?: string[] }, cmd: Command) => {
      const format = parseFormat(opts.format === 'table' ? undefined : opts.format);
      const filters = parseFilters(opts.filter ?? [], ['name', 'driver', 'label'] as const);
      const { volumes } = await withDaemon(cmd, env, (d) => d.call('VolumeList', { filters }));
      if (opts.quiet) for (const v of volumes) println(env, v.name);
      else env.stdout.write(renderList(format, VOLUME_COLUMNS, volumes.map(volumeRow)));
    });

  volume
    .command('inspect')
    .description('Display detailed information on one or more volumes of this node')
    .argument('<volume...>', 'volume names')
    .option('--format <format>', 'print one JSON object per line ("json") instead of a JSON array')
    .action(async (names: string[], opts: { format?: string }, cmd: Command) => {
      const format = parseFormat(opts.format);
      await withDaemon(cmd, env, (d) => inspectEach(env, names, format, async (name) => (await d.call('VolumeInspect', { name })).volume));
    });

  volume
    .command('rm')
    .description('Remove one or more volumes of this node and their data (refused while a task uses one)')
    .argument('<volume...>', 'volume names')
    .action(async (names: string[], _opts: unknown, cmd: Command) => {
      await withDaemon(cmd, env, (d) =>
        forEachReported(env, names, async (name) => {
          await d.call('VolumeRemove', { name });
          println(env, name);
        }),
      );
    });
}
