/**
 * bench/scheduler: the scheduler plugin alone, against a cluster of --nodes nodes (default 1,000): each
 * scenario schedules --services groups (default 100) of --tasks like tasks each (default 1,000: 100,000
 * placements), the way the scheduler loop hands them over (one `scheduleGroup` per service and spec
 * version, node state carried from group to group). Scenarios: plain, constrained to one zone of four,
 * and spread over zones by a placement preference. The peer in the same run is the bin-packing example
 * scheduler (examples/plugins/scheduler-binpack), behind the same filters. Prints placements per second
 * and the goal (spread ≥ 50,000 placements/s). No I/O: run it on a quiet machine.
 *
 *   node dist/bench/scheduler/main.js [--nodes 1000] [--services 100] [--tasks 1000]
 */
import * as os from 'node:os';
import type { Plugin } from '../../core/kernel';
import { buildNodeInfos } from '../../core/scheduler/node-info';
import { testKernel } from '../../core/testing/plugin-harness';
import { Tokens } from '../../core/tokens';
import binpack from '../../examples/plugins/scheduler-binpack';
import schedulerFilters from '../../plugins/scheduler-filters';
import schedulerSpread from '../../plugins/scheduler-spread';
import { parseBenchArgs } from '../stats';
import { resultTable, type SchedulerResult } from './report';
import { clusterNodes, scenarios, taskGroups, type Scenario } from './workload';

/** Schedules every group of a scenario on fresh node state; times only the scheduler's decisions. */
async function runScenario(plugin: Plugin, s: Scenario, nodeCount: number): Promise<SchedulerResult> {
  const { resolve } = await testKernel(plugin, { with: [schedulerFilters] });
  const scheduler = resolve(Tokens.Scheduler);
  const infos = buildNodeInfos(clusterNodes(nodeCount), []);
  const groups = taskGroups(s);
  let placed = 0;
  let decisions = 0;
  const start = performance.now();
  for (const group of groups) {
    for (const d of scheduler.scheduleGroup(group, infos)) {
      decisions++;
      if (d.nodeId !== undefined) placed++;
    }
  }
  const ms = performance.now() - start;
  return { scheduler: plugin.name, scenario: s.name, placed, decisions, ms };
}

async function main(): Promise<void> {
  const opts = parseBenchArgs(process.argv.slice(2), { nodes: 1000, services: 100, tasks: 1000 });
  const cpus = os.cpus();
  console.log(`machine: ${cpus.length} cores (${cpus[0]?.model.trim()}), Node ${process.version}; ${opts.nodes} nodes, ${opts.services} groups × ${opts.tasks} tasks per scenario`);
  const results: SchedulerResult[] = [];
  for (const s of scenarios(opts.services, opts.tasks)) {
    for (const plugin of [schedulerSpread, binpack]) {
      const r = await runScenario(plugin, s, opts.nodes);
      console.log(`${plugin.name.padEnd(18)} ${s.name.padEnd(26)} ${r.placed} placed in ${Math.round(r.ms)} ms`);
      results.push(r);
    }
  }
  console.log(`\n${resultTable(results, schedulerSpread.name)}`);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exitCode = 1;
});
