import type { Command } from 'commander';
import type { CliEnv } from '../../context';
import { registerServiceCreate } from './create';
import { registerServiceInspect } from './inspect';
import { registerServiceList } from './list';
import { registerServiceLogs } from './logs';
import { registerServicePs } from './ps';
import { registerServiceRemove } from './rm';
import { registerServiceScale } from './scale';
import { registerServiceRollback, registerServiceUpdate } from './update';

/** `orch service …`: create, ls, ps, logs, inspect, scale, update, rollback, rm. */
export function registerServiceCommands(program: Command, env: CliEnv): void {
  const service = program.command('service').description('Manage services');
  for (const register of [registerServiceCreate, registerServiceInspect, registerServiceList, registerServiceLogs, registerServicePs, registerServiceRemove, registerServiceScale, registerServiceUpdate, registerServiceRollback]) {
    register(service, env);
  }
}
