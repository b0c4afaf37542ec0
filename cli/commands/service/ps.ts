import type { Command } from 'commander';
import type { DesiredState } from '../../../core/model/task-state';
import { shortId } from '../../../core/model/ids';
import { println, withDaemon, type CliEnv } from '../../context';
import { filterValues, parseFilters } from '../../filters';
import { parseFormat, renderList } from '../../format/output';
import { collect } from '../../options';
import { orderTasks, TASK_COLUMNS, taskRows } from '../../views/tasks';

const DESIRED_STATES: readonly DesiredState[] = ['running', 'ready', 'shutdown', 'remove'];

interface PsOptions {
  readonly quiet?: boolean;
  /** False with `--no-trunc`. */
  readonly trunc: boolean;
  readonly format?: string;
  readonly filter?: string[];
}

/** `orch service ps SERVICE…`. */
export function registerServicePs(service: Command, env: CliEnv): void {
  service
    .command('ps')
    .description('List the tasks of one or more services, older tasks of a slot under the newest')
    .argument('<service...>', 'service names, IDs or ID prefixes')
    .option('-q, --quiet', 'only display task IDs')
    .option('--no-trunc', 'do not truncate IDs and errors')
    .option('--format <format>', 'print one JSON object per task ("json")')
    .option('-f, --filter <key=value>', `filter by desired-state=${DESIRED_STATES.join('|')}, node=, id= or name= (repeatable)`, collect)
    .action(async (refs: string[], opts: PsOptions, cmd: Command) => {
      const format = parseFormat(opts.format);
      const f = parseFilters(opts.filter ?? [], ['desired-state', 'node', 'id', 'name'] as const);
      const filters = { service: refs, node: f.node, id: f.id, name: f.name, desiredState: filterValues(f['desired-state'], 'desired-state', DESIRED_STATES) };
      const list = await withDaemon(cmd, env, (d) => d.call('TaskList', { filters }));
      const noTrunc = !opts.trunc;
      if (opts.quiet) for (const { task } of orderTasks(list.tasks)) println(env, noTrunc ? task.id : shortId(task.id));
      else env.stdout.write(renderList(format, TASK_COLUMNS, taskRows(list, { noTrunc, now: env.now() })));
    });
}
