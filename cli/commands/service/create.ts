import type { Command } from 'commander';
import { println, withDaemon, type CliEnv } from '../../context';
import { randomServiceName } from '../../names';
import { collect } from '../../options';
import { showProgress } from '../../progress/monitor';
import { buildServiceSpec, type ServiceCreateFlags } from '../../service-flags';
import { withUpdateConfigOptions } from '../../update-flags';

interface CreateOptions extends Omit<ServiceCreateFlags, 'name'> {
  readonly name?: string;
  readonly detach?: boolean;
  readonly quiet?: boolean;
}

/** `orch service create [OPTIONS] IMAGE [COMMAND [ARG…]]`. */
export function registerServiceCreate(service: Command, env: CliEnv): void {
  withUpdateConfigOptions(service.command('create'))
    .description('Create a new service; flags after IMAGE belong to its command')
    .argument('<image>', 'image the tasks run')
    .argument('[command...]', 'command and arguments (replace the image\'s CMD)')
    .passThroughOptions()
    .option('--name <name>', 'service name (default: a generated one)')
    .option('--mode <mode>', 'service mode: replicated or global (default: replicated)')
    .option('--replicas <n>', 'number of tasks (default: 1)')
    .option('--constraint <expr>', 'placement constraint such as node.labels.zone==a (repeatable)', collect)
    .option('--placement-pref <pref>', 'placement preference such as spread=node.labels.zone, outermost first (repeatable)', collect)
    .option('--replicas-max-per-node <n>', 'most tasks of the service on one node (default: 0, no limit)')
    .option('-p, --publish <port>', 'publish a port: [mode=host,]PUBLISHED:TARGET[/udp], TARGET, or published=P,target=T,protocol=udp,mode=host (repeatable)', collect)
    .option('--network <network>', 'attach the service to a network: NAME or name=NAME,alias=A (repeatable)', collect)
    .option('--endpoint-mode <mode>', 'how the service is found on its networks: vip or dnsrr (default: vip)')
    .option('-e, --env <key=value>', 'set an environment variable; KEY alone takes it from this shell (repeatable)', collect)
    .option('-l, --label <key=value>', 'service label (repeatable)', collect)
    .option('--reserve-cpu <cpus>', 'CPUs to reserve, e.g. 0.5')
    .option('--reserve-memory <bytes>', 'memory to reserve, e.g. 512m')
    .option('--limit-cpu <cpus>', 'CPU limit, e.g. 1.5')
    .option('--limit-memory <bytes>', 'memory limit, e.g. 1g')
    .option('--restart-condition <condition>', 'restart when: any, on-failure or none (default: any)')
    .option('--restart-delay <duration>', 'delay between restart attempts, e.g. 5s (default: 5s)')
    .option('--restart-max-attempts <n>', 'maximum restarts before giving up (default: unlimited)')
    .option('--restart-window <duration>', 'window over which restarts are counted, e.g. 1m (default: unbounded)')
    .option('--stop-grace-period <duration>', 'time to wait before killing a task, e.g. 10s (default: 10s)')
    .option('--health-cmd <command>', 'command to run in the task to check its health (run with /bin/sh -c)')
    .option('--health-http <port/path>', 'check health with a GET at the task\'s address, e.g. 8080/healthz (2xx or 3xx is healthy)')
    .option('--health-tcp <port>', 'check health by connecting to a port of the task')
    .option('--health-interval <duration>', 'time between health checks, e.g. 5s (default: 30s)')
    .option('--health-timeout <duration>', 'longest a health check may run (default: 30s)')
    .option('--health-retries <n>', 'consecutive failures that make a task unhealthy (default: 3)')
    .option('--health-start-period <duration>', 'time after start in which failures do not count (default: 0s)')
    .option('--no-healthcheck', "disable any health check, the image's too")
    .option('--entrypoint <command>', "override the image's entrypoint")
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
