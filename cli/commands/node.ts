import type { Command } from 'commander';
import type { NodeAvailability } from '../../core/model/types';
import { forEachReported, println, withDaemon, type CliEnv } from '../context';
import { UsageError } from '../errors';
import { parseFormat, renderList } from '../format/output';
import { parseKeyValue, parseLabels } from '../key-value';
import { collect } from '../options';
import { NODE_COLUMNS, nodeRow } from '../views/nodes';
import { inspectEach } from './inspect';

const AVAILABILITIES: readonly NodeAvailability[] = ['active', 'pause', 'drain'];

interface UpdateOptions {
  readonly labelAdd?: string[];
  readonly labelRm?: string[];
  readonly availability?: string;
}

/** The NodeUpdate request of `node update`, checked. */
function updateRequest(ref: string, opts: UpdateOptions) {
  const availability = opts.availability as NodeAvailability | undefined;
  if (availability !== undefined && !AVAILABILITIES.includes(availability)) {
    throw new UsageError('--availability', `expected one of ${AVAILABILITIES.join(', ')}, got "${opts.availability}"`);
  }
  return {
    ref,
    labelAdd: parseLabels(opts.labelAdd ?? [], '--label-add'),
    labelRm: (opts.labelRm ?? []).map((k) => parseKeyValue(k, '--label-rm').key),
    ...(availability !== undefined && { availability }),
  };
}

/** `orch node ls`, `node inspect`, `node update`. */
export function registerNodeCommands(program: Command, env: CliEnv): void {
  const node = program.command('node').description('Manage swarm nodes');

  node
    .command('ls')
    .description('List nodes in the swarm (* marks the node the CLI talks to)')
    .option('-q, --quiet', 'only display IDs')
    .option('--format <format>', 'print one JSON object per node ("json")')
    .action(async (opts: { quiet?: boolean; format?: string }, cmd: Command) => {
      const format = parseFormat(opts.format);
      const { nodes, self, managers } = await withDaemon(cmd, env, (d) => d.call('NodeList', {}));
      if (opts.quiet) for (const n of nodes) println(env, n.id);
      else env.stdout.write(renderList(format, NODE_COLUMNS, nodes.map((n) => nodeRow(n, self, managers))));
    });

  node
    .command('inspect')
    .description('Display detailed information on one or more nodes ("self" is this node)')
    .argument('<node...>', 'node IDs, ID prefixes or hostnames')
    .option('--format <format>', 'print one JSON object per line ("json") instead of a JSON array')
    .action(async (refs: string[], opts: { format?: string }, cmd: Command) => {
      const format = parseFormat(opts.format);
      await withDaemon(cmd, env, (d) => inspectEach(env, refs, format, async (ref) => (await d.call('NodeInspect', { ref })).node));
    });

  node
    .command('update')
    .description("Update a node's availability or labels")
    .argument('<node>', 'node ID, ID prefix or hostname ("self" is this node)')
    .option('--availability <availability>', 'availability of the node: active, pause or drain')
    .option('--label-add <key=value>', 'add or update a node label (repeatable)', collect)
    .option('--label-rm <key>', 'remove a node label (repeatable)', collect)
    .action(async (ref: string, opts: UpdateOptions, cmd: Command) => {
      const req = updateRequest(ref, opts);
      const { node: updated } = await withDaemon(cmd, env, (d) => d.call('NodeUpdate', req));
      println(env, updated.id);
    });

  for (const [name, role, done] of [
    ['promote', 'manager', 'promoted to a manager in the swarm'],
    ['demote', 'worker', 'demoted in the swarm'],
  ] as const) {
    const command = node
      .command(name)
      .description(name === 'promote' ? 'Promote nodes to managers' : 'Demote managers to workers')
      .argument('<node...>', 'node IDs, ID prefixes or hostnames');
    if (role === 'worker') command.option('-f, --force', 'demote even if the remaining managers would lose quorum');
    command.action(async (refs: string[], opts: { force?: boolean }, cmd: Command) => {
      await withDaemon(cmd, env, (d) =>
        forEachReported(env, refs, async (ref) => {
          const { node: n, changed } = await d.call('NodeRole', { ref, role, force: opts.force === true });
          println(env, changed ? `Node ${n.id} ${done}.` : `Node ${n.id} is already a ${role} in the swarm.`);
        }),
      );
    });
  }

  node
    .command('rm')
    .description('Remove nodes from the swarm (their certificates stop working, their tasks move)')
    .argument('<node...>', 'node IDs, ID prefixes or hostnames')
    .option('-f, --force', 'remove a node that is not down, or a manager (even if the rest would lose quorum)')
    .action(async (refs: string[], opts: { force?: boolean }, cmd: Command) => {
      await withDaemon(cmd, env, (d) =>
        forEachReported(env, refs, async (ref) => {
          await d.call('NodeRemove', { ref, force: opts.force === true });
          println(env, ref);
        }),
      );
    });
}
