import type { Command } from 'commander';
import { ValidationError } from '../../core/errors';
import { parseNetworkSpec } from '../../core/model/network-spec';
import type { NetworkSpec } from '../../core/model/types';
import { forEachReported, println, withDaemon, type CliEnv } from '../context';
import { explanation, UsageError } from '../errors';
import { parseFilters } from '../filters';
import { parseFormat, renderList } from '../format/output';
import { parseLabels } from '../key-value';
import { collect } from '../options';
import { NETWORK_COLUMNS, networkRow } from '../views/networks';
import { inspectEach } from './inspect';

/** The flags of `network create`, as commander hands them over. */
export interface NetworkCreateFlags {
  readonly driver?: string;
  readonly subnet?: string;
  readonly attachable?: boolean;
  readonly label?: readonly string[];
  readonly opt?: readonly string[];
}

/** Which flag sets which field of a network spec. */
const FIELD_FLAGS: Readonly<Record<string, string>> = { name: 'NAME', driver: '--driver', subnet: '--subnet', labels: '--label', options: '--opt' };

/**
 * Builds the spec of `orch network create NAME` from its flags and checks it as the daemon will. Pure.
 * @throws UsageError naming the flag at fault, e.g. `invalid --subnet: "10.0.0.1/24" is not a subnet: …`.
 */
export function buildNetworkSpec(name: string, flags: NetworkCreateFlags): NetworkSpec {
  const spec = {
    name,
    ...(flags.driver !== undefined && { driver: flags.driver }),
    labels: parseLabels(flags.label ?? [], '--label'),
    attachable: flags.attachable === true,
    ...(flags.subnet !== undefined && { subnet: flags.subnet }),
    ...(flags.opt !== undefined && { options: parseLabels(flags.opt, '--opt') }),
  };
  try {
    return parseNetworkSpec(spec);
  } catch (err) {
    if (!(err instanceof ValidationError)) throw err;
    throw new UsageError(FIELD_FLAGS[err.field?.split('.')[0] ?? ''] ?? err.field ?? 'network spec', explanation(err));
  }
}

interface ListOptions {
  readonly quiet?: boolean;
  readonly format?: string;
  readonly filter?: string[];
}

/** `orch network create`, `ls`, `inspect`, `rm`. */
export function registerNetworkCommands(program: Command, env: CliEnv): void {
  const network = program.command('network').description('Manage networks');

  network
    .command('create')
    .description('Create a network; prints its ID')
    .argument('<name>', 'network name')
    .option('-d, --driver <driver>', 'driver that implements the network (default: overlay)')
    .option('--subnet <cidr>', 'IPv4 subnet, e.g. 10.1.0.0/24 (default: a free /24 of 10.0.0.0/8)')
    .option('--attachable', 'let containers the swarm does not manage join the network')
    .option('--label <key=value>', 'network label (repeatable)', collect)
    .option('-o, --opt <key=value>', 'driver option (repeatable)', collect)
    .action(async (name: string, opts: NetworkCreateFlags, cmd: Command) => {
      const spec = buildNetworkSpec(name, opts);
      const { network: created } = await withDaemon(cmd, env, (d) => d.call('NetworkCreate', { spec }));
      println(env, created.id);
    });

  network
    .command('ls')
    .description('List networks')
    .option('-q, --quiet', 'only display IDs')
    .option('--format <format>', 'print one JSON object per network ("json"), or a table ("table", the default)')
    .option('-f, --filter <key=value>', 'filter by name=, id= or driver= (repeatable)', collect)
    .action(async (opts: ListOptions, cmd: Command) => {
      // "table" is the default layout, named explicitly.
      const format = parseFormat(opts.format === 'table' ? undefined : opts.format);
      const filters = parseFilters(opts.filter ?? [], ['name', 'id', 'driver'] as const);
      const { networks } = await withDaemon(cmd, env, (d) => d.call('NetworkList', { filters }));
      if (opts.quiet) for (const n of networks) println(env, n.id);
      else env.stdout.write(renderList(format, NETWORK_COLUMNS, networks.map(networkRow)));
    });

  network
    .command('inspect')
    .description('Display detailed information on one or more networks, with the IDs of the services attached')
    .argument('<network...>', 'network names, IDs or ID prefixes')
    .option('--format <format>', 'print one JSON object per line ("json") instead of a JSON array')
    .action(async (refs: string[], opts: { format?: string }, cmd: Command) => {
      const format = parseFormat(opts.format);
      await withDaemon(cmd, env, (d) =>
        inspectEach(env, refs, format, async (ref) => {
          const { network: n, services } = await d.call('NetworkInspect', { ref });
          return { ...n, services };
        }),
      );
    });

  network
    .command('rm')
    .description('Remove one or more networks (refused while a service uses one)')
    .argument('<network...>', 'network names, IDs or ID prefixes')
    .action(async (refs: string[], _opts: unknown, cmd: Command) => {
      await withDaemon(cmd, env, (d) =>
        forEachReported(env, refs, async (ref) => {
          await d.call('NetworkRemove', { ref });
          println(env, ref);
        }),
      );
    });
}
