import type { Command } from 'commander';
import { println, withDaemon, type CliEnv } from '../context';
import { parseFilters } from '../filters';
import { parseFormat, renderList } from '../format/output';
import { collect } from '../options';
import { PLUGIN_COLUMNS, pluginRows } from '../views/plugins';

/** `orch plugin ls`: the plugins every node loaded, with the hooks each taps and the providers it supplies. */
export function registerPluginCommands(program: Command, env: CliEnv): void {
  const plugin = program.command('plugin').description('Inspect the plugins the nodes loaded');
  plugin
    .command('ls')
    .description('List the plugins of every node, with the providers each supplies and the hooks it taps')
    .option('-q, --quiet', 'only display plugin names, once each')
    .option('--format <format>', 'print one JSON object per node and plugin ("json"), or a table ("table", the default)')
    .option('-f, --filter <key=value>', 'filter by node= (hostname or id) or name= (repeatable)', collect)
    .action(async (opts: { quiet?: boolean; format?: string; filter?: string[] }, cmd: Command) => {
      const format = parseFormat(opts.format === 'table' ? undefined : opts.format);
      const f = parseFilters(opts.filter ?? [], ['node', 'name'] as const);
      const { nodes } = await withDaemon(cmd, env, (d) => d.call('NodeList', {}));
      const picked = nodes.filter((n) => !f.node || f.node.some((x) => n.id.startsWith(x) || n.description.hostname === x));
      const rows = pluginRows(picked).filter((r) => !f.name || f.name.some((x) => r.Name.includes(x)));
      if (opts.quiet) for (const name of new Set(rows.map((r) => r.Name))) println(env, name);
      else env.stdout.write(renderList(format, PLUGIN_COLUMNS, rows));
    });
}
