import type { Command } from 'commander';
import { println, withDaemon, type CliEnv } from '../../context';
import { filterValues, parseFilters } from '../../filters';
import { parseFormat, renderList } from '../../format/output';
import { collect } from '../../options';
import { SERVICE_COLUMNS, serviceRow } from '../../views/services';

interface ListOptions {
  readonly quiet?: boolean;
  readonly format?: string;
  readonly filter?: string[];
}

/** `orch service ls`. */
export function registerServiceList(service: Command, env: CliEnv): void {
  service
    .command('ls')
    .description('List services')
    .option('-q, --quiet', 'only display IDs')
    .option('--format <format>', 'print one JSON object per service ("json")')
    .option('-f, --filter <key=value>', 'filter by name=, id= or mode=replicated|global (repeatable)', collect)
    .action(async (opts: ListOptions, cmd: Command) => {
      const format = parseFormat(opts.format);
      const f = parseFilters(opts.filter ?? [], ['name', 'id', 'mode'] as const);
      const filters = { name: f.name, id: f.id, mode: filterValues(f.mode, 'mode', ['replicated', 'global'] as const) };
      const { services } = await withDaemon(cmd, env, (d) => d.call('ServiceList', { filters }));
      if (opts.quiet) for (const s of services) println(env, s.service.id);
      else env.stdout.write(renderList(format, SERVICE_COLUMNS, services.map(serviceRow)));
    });
}
