import { Command } from 'commander';
import { registerDaemonCommand } from './commands/daemon';
import { registerEventsCommand } from './commands/events';
import { registerNetworkCommands } from './commands/network';
import { registerNodeCommands } from './commands/node';
import { registerPluginCommands } from './commands/plugin';
import { registerServiceCommands } from './commands/service';
import { registerStackCommands } from './commands/stack';
import { registerSwarmCommands } from './commands/swarm';
import { registerVolumeCommands } from './commands/volume';
import type { CliEnv } from './context';
import { failureOutcome } from './errors';
import { acceptDataDirEverywhere } from './options';
import { VERSION } from './version';

/**
 * The `orch` command tree. Commander does not exit the process (`exitOverride`): its errors are
 * thrown and mapped to exit codes by `run`. Options are positional, so flags after a subcommand belong
 * to it, and flags after a service's IMAGE belong to the service's command.
 */
export function buildProgram(env: CliEnv): Command {
  const program = new Command('orch')
    .description('A swarm-mode container orchestrator')
    .version(VERSION, '-v, --version', 'print the version')
    .option('--data-dir <dir>', 'state directory of the node (default: $ORCH_DATA_DIR, else /var/lib/orch as root, else ~/.orch)')
    .enablePositionalOptions()
    .exitOverride()
    .configureHelp({ showGlobalOptions: true })
    .configureOutput({
      writeOut: (s) => env.stdout.write(s),
      writeErr: (s) => env.stderr.write(s),
      outputError: (s, write) => write(s.replace(/^error: /, 'Error: ')),
    });
  registerSwarmCommands(program, env);
  registerDaemonCommand(program, env);
  registerNodeCommands(program, env);
  registerServiceCommands(program, env);
  registerNetworkCommands(program, env);
  registerVolumeCommands(program, env);
  registerPluginCommands(program, env);
  registerStackCommands(program, env);
  registerEventsCommand(program, env);
  acceptDataDirEverywhere(program);
  return program;
}

/**
 * Runs one `orch` invocation (`argv` without the node binary and script) and returns its exit code:
 * 0 on success, 1 when the daemon or runtime failed (`Error: …` on stderr), 2 for usage errors.
 */
export async function run(argv: readonly string[], env: CliEnv): Promise<number> {
  try {
    await buildProgram(env).parseAsync([...argv], { from: 'user' });
    return 0;
  } catch (err) {
    const { code, message } = failureOutcome(err);
    if (message !== undefined) env.stderr.write(`${message}\n`);
    return code;
  }
}
