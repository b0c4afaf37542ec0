import * as fs from 'node:fs';
import type { Command } from 'commander';
import { OrchError } from '../../core/errors';
import { shortId } from '../../core/model/ids';
import type { DesiredState } from '../../core/model/task-state';
import type { DaemonApi } from '../connection';
import { println, withDaemon, type CliEnv } from '../context';
import { UsageError } from '../errors';
import { filterValues, parseFilters } from '../filters';
import { parseFormat, renderList, type Column } from '../format/output';
import { collect } from '../options';
import { showProgress } from '../progress/monitor';
import { loadCompose } from '../stack/compose-load';
import { convertStack } from '../stack/convert-stack';
import { deployStack, type DeployOutput, type DeployResult } from '../stack/deploy';
import { stackRows, stackServices, type StackRow } from '../stack/members';
import { checkStackName } from '../stack/namespace';
import { removeStack } from '../stack/remove';
import { SERVICE_COLUMNS, serviceRow } from '../views/services';
import { orderTasks, TASK_COLUMNS, taskRows } from '../views/tasks';

const DESIRED_STATES: readonly DesiredState[] = ['running', 'ready', 'shutdown', 'remove'];

const STACK_COLUMNS: readonly Column<StackRow>[] = [
  { header: 'NAME', value: (r) => r.Name },
  { header: 'SERVICES', value: (r) => r.Services },
];

interface DeployOptions {
  readonly composeFile?: string[];
  readonly prune?: boolean;
  /** False with `--no-detach`. */
  readonly detach?: boolean;
}

interface ListOptions {
  readonly quiet?: boolean;
  readonly format?: string;
  readonly filter?: string[];
}

/** Reads a file as text; undefined when it does not exist. */
function readText(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

function outputOf(env: CliEnv): DeployOutput {
  return { line: (text) => println(env, text), warn: (text) => env.stderr.write(`${text}\n`) };
}

/** Shows each written service's progress until it converges (`--no-detach`). */
async function waitForServices(daemon: DaemonApi, env: CliEnv, result: DeployResult): Promise<void> {
  for (const [services, kind] of [
    [result.created, undefined],
    [result.updated, 'update'],
  ] as const) {
    for (const s of services) {
      println(env, `${s.name}:`);
      await showProgress(daemon, s.id, env.stdout, kind);
    }
  }
}

/** `orch stack deploy -c FILE… [--prune] [-d] STACK` (alias `up`). */
function registerDeploy(stack: Command, env: CliEnv): void {
  stack
    .command('deploy')
    .alias('up')
    .description('Deploy a new stack or update an existing one from compose files (format 3.x)')
    .argument('<stack>', 'stack name: prefixes its services, networks and volumes')
    .option('-c, --compose-file <file>', 'compose file; later files override earlier ones (repeatable)', collect)
    .option('--prune', 'remove the services of the stack that the files no longer have')
    .option('-d, --detach', 'exit once the changes are sent, without waiting for the services (the default)')
    .option('--no-detach', 'wait until the created and updated services converge, showing their progress')
    .action(async (name: string, opts: DeployOptions, cmd: Command) => {
      checkStackName(name);
      if (!opts.composeFile?.length) throw new UsageError('--compose-file', 'required: name at least one compose file');
      const loaded = loadCompose(opts.composeFile, { cwd: env.cwd, env: env.env, read: readText });
      const out = outputOf(env);
      for (const v of loaded.unset) out.warn(`The "${v}" variable is not set. Defaulting to a blank string.`);
      if (loaded.ignored.length > 0) out.warn(`Ignoring unsupported options: ${loaded.ignored.join(', ')}`);
      const desired = convertStack(name, loaded, { home: env.home, read: readText });
      await withDaemon(cmd, env, async (daemon) => {
        const result = await deployStack(daemon, desired, opts.prune === true, out);
        if (opts.detach === false) await waitForServices(daemon, env, result);
      });
    });
}

/** `orch stack ls`: every stack with its number of services. */
function registerList(stack: Command, env: CliEnv): void {
  stack
    .command('ls')
    .alias('list')
    .description('List stacks')
    .option('--format <format>', 'print one JSON object per stack ("json")')
    .action(async (opts: ListOptions, cmd: Command) => {
      const format = parseFormat(opts.format);
      const { services } = await withDaemon(cmd, env, (d) => d.call('ServiceList', {}));
      env.stdout.write(renderList(format, STACK_COLUMNS, stackRows(services)));
    });
}

/** `orch stack services STACK`: `service ls` for the stack's services. */
function registerServices(stack: Command, env: CliEnv): void {
  stack
    .command('services')
    .description('List the services of a stack')
    .argument('<stack>', 'stack name')
    .option('-q, --quiet', 'only display IDs')
    .option('--format <format>', 'print one JSON object per service ("json")')
    .option('-f, --filter <key=value>', 'filter by name=, id= or mode=replicated|global (repeatable)', collect)
    .action(async (name: string, opts: ListOptions, cmd: Command) => {
      const format = parseFormat(opts.format);
      const f = parseFilters(opts.filter ?? [], ['name', 'id', 'mode'] as const);
      const filters = { name: f.name, id: f.id, mode: filterValues(f.mode, 'mode', ['replicated', 'global'] as const) };
      const { services } = await withDaemon(cmd, env, (d) => d.call('ServiceList', { filters }));
      const ours = stackServices(services, name);
      if (ours.length === 0) env.stderr.write(`Nothing found in stack: ${name}\n`);
      else if (opts.quiet) for (const s of ours) println(env, s.service.id);
      else env.stdout.write(renderList(format, SERVICE_COLUMNS, ours.map(serviceRow)));
    });
}

/** `orch stack ps STACK`: `service ps` for all the stack's services. */
function registerPs(stack: Command, env: CliEnv): void {
  stack
    .command('ps')
    .description('List the tasks of a stack')
    .argument('<stack>', 'stack name')
    .option('-q, --quiet', 'only display task IDs')
    .option('--no-trunc', 'do not truncate IDs and errors')
    .option('--format <format>', 'print one JSON object per task ("json")')
    .option('-f, --filter <key=value>', `filter by desired-state=${DESIRED_STATES.join('|')}, node=, id= or name= (repeatable)`, collect)
    .action(async (name: string, opts: ListOptions & { trunc: boolean }, cmd: Command) => {
      const format = parseFormat(opts.format);
      const f = parseFilters(opts.filter ?? [], ['desired-state', 'node', 'id', 'name'] as const);
      const desiredState = filterValues(f['desired-state'], 'desired-state', DESIRED_STATES);
      const list = await withDaemon(cmd, env, async (d) => {
        const ids = stackServices((await d.call('ServiceList', {})).services, name).map((s) => s.service.id);
        return ids.length === 0 ? undefined : d.call('TaskList', { filters: { service: ids, node: f.node, id: f.id, name: f.name, desiredState } });
      });
      if (list === undefined || list.tasks.length === 0) throw new OrchError('not-found', `nothing found in stack: ${name}`);
      const noTrunc = !opts.trunc;
      if (opts.quiet) for (const { task } of orderTasks(list.tasks)) println(env, noTrunc ? task.id : shortId(task.id));
      else env.stdout.write(renderList(format, TASK_COLUMNS, taskRows(list, { noTrunc, now: env.now() })));
    });
}

/** `orch stack rm STACK…` (aliases `remove`, `down`). */
function registerRemove(stack: Command, env: CliEnv): void {
  stack
    .command('rm')
    .aliases(['remove', 'down'])
    .description('Remove one or more stacks: their services, then their networks')
    .argument('<stack...>', 'stack names')
    .action(async (names: string[], _opts: unknown, cmd: Command) => {
      const failed = await withDaemon(cmd, env, async (d) => {
        const out = outputOf(env);
        const bad: string[] = [];
        for (const name of names) if (!(await removeStack(d, name, out))) bad.push(name);
        return bad;
      });
      if (failed.length > 0) throw new OrchError('internal', `failed to remove some resources from stack: ${failed.join(', ')}`);
    });
}

/** `orch stack deploy`, `ls`, `services`, `ps`, `rm`: services and networks deployed together from compose files. */
export function registerStackCommands(program: Command, env: CliEnv): void {
  const stack = program.command('stack').description('Manage stacks: services and networks deployed from compose files');
  for (const register of [registerDeploy, registerList, registerServices, registerPs, registerRemove]) register(stack, env);
}
