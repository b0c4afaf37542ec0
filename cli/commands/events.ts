import type { Command } from 'commander';
import type { ControlClient } from '../../core/api/client';
import type { EventsRequest } from '../../core/api/contract';
import { dataPaths } from '../../core/daemon/paths';
import { EVENT_ACTIONS, EVENT_TYPES } from '../../core/events/cluster-events';
import { EVENT_FILTER_KEYS } from '../../core/events/event-filters';
import { openControlClient } from '../connection';
import { dataDirOf, type CliEnv } from '../context';
import { UsageError } from '../errors';
import { filterValues, parseFilters } from '../filters';
import { renderEvent } from '../format/events';
import { parseFormat } from '../format/output';
import { collect } from '../options';
import { parseTimeFlag } from '../time';

/** The flags of `orch events`, as commander hands them over. */
export interface EventsFlags {
  readonly since?: string;
  readonly until?: string;
  readonly filter?: readonly string[];
  readonly format?: string;
}

/** What `orch events` needs of a daemon connection. */
export type EventSource = Pick<ControlClient, 'events' | 'close'>;

/** Opens the events source of the daemon on `socket`; tests pass their own. */
export type OpenEvents = (socket: string) => Promise<EventSource>;

/**
 * The `Events` request of `orch events` from its flags, times resolved against `now`. Pure.
 * @throws UsageError naming the flag: a time that does not parse, `--until` before `--since`, an unknown
 * filter key or an unknown `type`/`event` value
 */
export function buildEventsRequest(flags: EventsFlags, now: Date): EventsRequest {
  const since = flags.since === undefined ? undefined : parseTimeFlag(flags.since, '--since', now);
  const until = flags.until === undefined ? undefined : parseTimeFlag(flags.until, '--until', now);
  if (since !== undefined && until !== undefined && until < since) throw new UsageError('--until', `${until} is before --since (${since})`);
  const f = parseFilters(flags.filter ?? [], EVENT_FILTER_KEYS);
  const filters = { ...f, type: filterValues(f.type, 'type', EVENT_TYPES), event: filterValues(f.event, 'event', EVENT_ACTIONS) };
  const given = Object.fromEntries(Object.entries(filters).filter(([, v]) => v !== undefined));
  return { ...(since !== undefined && { since }), ...(until !== undefined && { until }), ...(Object.keys(given).length > 0 && { filters: given }) };
}

/**
 * `orch events`: prints cluster events as they happen until `--until` passes (exit 0) or it is
 * interrupted; with `--since`, past events first.
 */
export function registerEventsCommand(program: Command, env: CliEnv, open: OpenEvents = openControlClient): void {
  program
    .command('events')
    .description('Get real-time events from the cluster (services, nodes, tasks, networks)')
    .option('--since <time>', 'show events since this time: RFC 3339 time, Unix seconds, or a duration before now (10m)')
    .option('--until <time>', 'stream events until this time, then exit (same forms as --since)')
    .option('-f, --filter <key=value>', `filter by type=${EVENT_TYPES.join('|')}, event=${EVENT_ACTIONS.join('|')}, service=, node= or network= (repeatable)`, collect)
    .option('--format <format>', 'print one JSON object per event ("json")')
    .action(async (flags: EventsFlags, cmd: Command) => {
      const format = parseFormat(flags.format);
      const req = buildEventsRequest(flags, env.now());
      const source = await open(dataPaths(dataDirOf(cmd, env)).socket);
      try {
        await new Promise<void>((resolve, reject) => {
          source.events(req, (e) => env.stdout.write(renderEvent(e, format)), (err) => (err ? reject(err) : resolve()));
        });
      } finally {
        source.close();
      }
    });
}
