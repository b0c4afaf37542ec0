import type { Command } from 'commander';
import type { ControlClient } from '../../../core/api/client';
import type { ServiceLogsRequest } from '../../../core/api/contract';
import { dataPaths } from '../../../core/daemon/paths';
import { openControlClient } from '../../connection';
import { dataDirOf, type CliEnv } from '../../context';
import { ReportedFailure, UsageError } from '../../errors';
import { incompleteWarning, LogLineFormatter } from '../../format/log-lines';
import { parseTimeFlag } from '../../time';

/** The flags of `orch service logs`, as commander hands them over. */
export interface LogsFlags {
  readonly follow?: boolean;
  readonly tail?: string;
  readonly since?: string;
  readonly timestamps?: boolean;
  /** False with `--no-task-ids`. */
  readonly taskIds: boolean;
  /** False with `--no-trunc`. */
  readonly trunc: boolean;
  readonly raw?: boolean;
}

/** What `service logs` needs of a daemon connection. */
export type LogSource = Pick<ControlClient, 'serviceLogs' | 'close'>;

/** Opens the log source of the daemon on `socket`; tests pass their own. */
export type OpenLogs = (socket: string) => Promise<LogSource>;

/**
 * The `ServiceLogs` request of `orch service logs REF` from its flags, `--since` resolved against `now`. Pure.
 * @throws UsageError naming the flag: `--tail` that is neither a number of lines nor `all`, `--since` that is not a time
 */
export function buildLogsRequest(ref: string, flags: Pick<LogsFlags, 'follow' | 'tail' | 'since'>, now: Date): ServiceLogsRequest {
  const tail = flags.tail === undefined || flags.tail === 'all' ? undefined : Number(flags.tail);
  if (tail !== undefined && !(/^\d+$/.test(flags.tail!) && Number.isSafeInteger(tail))) {
    throw new UsageError('--tail', `expected a number of lines or "all", got "${flags.tail}"`);
  }
  const sinceMs = flags.since === undefined ? undefined : Math.max(0, Date.parse(parseTimeFlag(flags.since, '--since', now)));
  return { ref, follow: flags.follow === true, ...(tail !== undefined && { tail }), ...(sinceMs !== undefined && { sinceMs }) };
}

/**
 * `orch service logs SERVICE|TASK`: prints the logs of every task of a service (or of one task), stdout
 * lines on stdout and stderr lines on stderr, each prefixed with its task and node as docker does. Ends
 * once every node delivered its lines, or with `--follow` keeps streaming until interrupted. Nodes whose
 * logs are missing are named on stderr; a run without `--follow` then exits 1.
 */
export function registerServiceLogs(service: Command, env: CliEnv, open: OpenLogs = openControlClient): void {
  service
    .command('logs')
    .description('Fetch the logs of a service or task')
    .argument('<service|task>', 'a service name, ID or ID prefix, or a task ID or ID prefix')
    .option('-f, --follow', 'follow log output')
    .option('-n, --tail <lines>', 'number of lines to show from the end of the logs of each task, or "all"', 'all')
    .option('--since <time>', 'show logs since this time: RFC 3339 time, Unix seconds, or a duration before now (10m)')
    .option('-t, --timestamps', 'show timestamps')
    .option('--no-task-ids', 'do not include task IDs in output')
    .option('--no-trunc', 'do not truncate output')
    .option('--raw', 'do not neatly format logs')
    .action(async (ref: string, flags: LogsFlags, cmd: Command) => {
      const req = buildLogsRequest(ref, flags, env.now());
      const formatter = new LogLineFormatter({ taskIds: flags.taskIds, trunc: flags.trunc, raw: flags.raw === true, timestamps: flags.timestamps === true });
      const source = await open(dataPaths(dataDirOf(cmd, env)).socket);
      let incomplete = 0;
      try {
        await new Promise<void>((resolve, reject) => {
          source.serviceLogs(
            req,
            (m) => {
              if (m.tasks) formatter.learn(m.tasks);
              for (const line of m.messages ?? []) (line.stream === 'stderr' ? env.stderr : env.stdout).write(formatter.line(line));
              for (const i of m.incomplete ?? []) {
                incomplete++;
                env.stderr.write(incompleteWarning(i));
              }
            },
            (err) => (err ? reject(err) : resolve()),
          );
        });
      } finally {
        source.close();
      }
      if (incomplete > 0 && !req.follow) throw new ReportedFailure(incomplete);
    });
}
