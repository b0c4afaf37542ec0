import type { Command } from 'commander';
import { println, withDaemon, type CliEnv } from '../../context';
import { randomServiceName } from '../../names';
import { collect } from '../../options';
import { showProgress } from '../../progress/monitor';
import { buildServiceSpec, type ServiceCreateFlags } from '../../service-flags';
import { withTaskOptions } from '../../task-flags';
import { withUpdateConfigOptions } from '../../update-flags';

interface CreateOptions extends Omit<ServiceCreateFlags, 'name'> {
  readonly name?: string;
  readonly detach?: boolean;
  readonly quiet?: boolean;
}

/** `orch service create [OPTIONS] IMAGE [COMMAND [ARG…]]`. */
export function registerServiceCreate(service: Command, env: CliEnv): void {
  withTaskOptions(withUpdateConfigOptions(service.command('create')))
    .description('Create a new service; flags after IMAGE belong to its command')
    .argument('<image>', 'image the tasks run')
    .argument('[command...]', 'command and arguments (replace the image\'s CMD)')
    .passThroughOptions()
    .option('--name <name>', 'service name (default: a generated one)')
    .option('--mode <mode>', 'service mode: replicated or global (default: replicated)')
    .option('--replicas <n>', 'number of tasks (default: 1)')
    .option('--constraint <expr>', 'placement constraint such as node.labels.zone==a (repeatable)', collect)
    .option('--placement-pref <pref>', 'placement preference such as spread=node.labels.zone, outermost first (repeatable)', collect)
    .option('-p, --publish <port>', 'publish a port: [mode=host,]PUBLISHED:TARGET[/udp], TARGET, or published=P,target=T,protocol=udp,mode=host (repeatable)', collect)
    .option('--mount <mount>', 'mount a filesystem: type=volume|bind|tmpfs,source=…,target=…[,readonly][,volume-driver=…] (repeatable)', collect)
    .option('--network <network>', 'attach the service to a network: NAME or name=NAME,alias=A (repeatable)', collect)
    .option('--endpoint-mode <mode>', 'how the service is found on its networks: vip or dnsrr (default: vip)')
    .option('-e, --env <key=value>', 'set an environment variable; KEY alone takes it from this shell (repeatable)', collect)
    .option('-l, --label <key=value>', 'service label (repeatable)', collect)
    .option('-d, --detach', 'exit at once instead of waiting for the service to converge')
    .option('-q, --quiet', 'print only the service ID')
    .action(async (image: string, args: string[], opts: CreateOptions, cmd: Command) => {
      const spec = buildServiceSpec({ ...opts, name: opts.name ?? randomServiceName() }, image, args, env.env);
      await withDaemon(cmd, env, async (daemon) => {
        const { service: created } = await daemon.call('ServiceCreate', { spec });
        println(env, created.id);
        if (!opts.detach && !opts.quiet) await showProgress(daemon, created.id, env.stdout);
      });
    });
}
