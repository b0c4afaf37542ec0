import Docker from 'dockerode';
import type { Plugin } from '../../core/kernel';
import { Tokens } from '../../core/tokens';
import { DockerRuntime } from './docker-runtime';

export { DockerRuntime } from './docker-runtime';
export { ORCH_LABELS } from './naming';

/**
 * The `docker` runtime: runs this node's tasks as containers on the local Docker engine (reached as
 * dockerode finds it: `DOCKER_HOST`, else `/var/run/docker.sock`). Its event stream opens with the
 * daemon (lifecycle stage -50, after the store, before the control loops) and closes at stop (stage 50).
 */
export const runtimeDockerPlugin: Plugin = {
  name: 'runtime-docker',
  version: '0.1.0',
  kernel: '^1.0',
  provides: ['Runtime'],
  apply(kernel) {
    const runtime = new DockerRuntime(new Docker(), kernel.config.nodeId, kernel.log.child({ plugin: 'runtime-docker' }));
    kernel.provide(Tokens.Runtime, runtime);
    kernel.lifecycle.start.tapPromise({ name: 'runtime-docker', stage: -50 }, () => runtime.open());
    kernel.lifecycle.stop.tapPromise({ name: 'runtime-docker', stage: 50 }, async () => runtime.close());
  },
};

export default runtimeDockerPlugin;
