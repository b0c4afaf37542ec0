import type { Node, Task } from '../../core/model/types';
import { makeNode, makeTasks, type TaskOptions } from '../../core/testing/builders';

/** The zones nodes are spread over (`node.labels.zone`). */
const ZONES = 4;

/** What one scenario schedules: `services` groups of `tasksPerService` like tasks each. */
export interface Scenario {
  readonly name: string;
  readonly services: number;
  readonly tasksPerService: number;
  /** Options of every task of a group (its service id is set per group). */
  readonly task: TaskOptions;
}

/** The scenarios: plain groups, groups constrained to a quarter of the nodes, groups spread over zones. */
export function scenarios(services: number, tasksPerService: number): Scenario[] {
  return [
    { name: 'plain', services, tasksPerService, task: { cpus: 0.01 } },
    { name: 'constrained (1 zone of 4)', services, tasksPerService: Math.ceil(tasksPerService / ZONES), task: { cpus: 0.01, constraints: ['node.labels.zone==z1'] } },
    { name: 'zone preference', services, tasksPerService, task: { cpus: 0.01, preferences: ['node.labels.zone'] } },
  ];
}

/** `count` ready worker nodes with 64 CPUs and 256 GB, over the zones. */
export function clusterNodes(count: number): Node[] {
  return Array.from({ length: count }, (_, i) => makeNode(`n${String(i).padStart(5, '0')}`, { cpus: 64, memoryBytes: 256 * 2 ** 30, labels: { zone: `z${i % ZONES}` } }));
}

/** The task groups of a scenario, one per service. */
export function taskGroups(s: Scenario): Task[][] {
  return Array.from({ length: s.services }, (_, g) => makeTasks(`s${g}`, s.tasksPerService, { ...s.task, serviceId: `svc${g}` }));
}
