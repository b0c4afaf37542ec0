import type { ServiceSpec } from '../../../../core/model/types';
import { convert, errorOf, type LoadOptions } from './helpers';

const NS = { 'com.docker.stack.namespace': 'app' };

/** The spec of the only (or the named) service of a file. */
function serviceOf(yaml: string, o: LoadOptions = {}, name?: string): ServiceSpec {
  const { services } = convert(yaml, o);
  return name === undefined ? services[0] : services.find((s) => s.name === `app_${name}`)!;
}

describe('converting a compose service', () => {
  it('converts a service that sets every supported key', () => {
    const yaml = `
version: "3.9"
services:
  web:
    image: nginx:1.25
    entrypoint: /docker-entrypoint.sh -x
    command: ["nginx", "-g", "daemon off;"]
    env_file: [web.env]
    environment:
      B: "from-env"
      PORT: 8080
      DEBUG: true
      FROM_SHELL:
      NOT_SET:
    labels: [com.example.role=frontend]
    ports:
      - "8080:80"
      - "53:53/udp"
      - 9000
      - target: 443
        published: 8443
        protocol: tcp
        mode: host
    networks:
      front:
        aliases: [www]
      back:
    volumes:
      - data:/var/lib/data
      - /etc/ssl:/etc/ssl:ro
      - ./html:/usr/share/nginx/html
      - /cache
      - type: tmpfs
        target: /scratch
        tmpfs: {size: 64M}
      - type: volume
        source: data
        target: /backup
        read_only: true
        volume: {nocopy: false}
    tmpfs: /run
    healthcheck:
      test: ["CMD", "wget", "-q", "localhost"]
      interval: 10s
      timeout: 2s
      retries: 5
      start_period: 1m30s
    stop_grace_period: 20s
    deploy:
      mode: replicated
      replicas: 3
      endpoint_mode: vip
      labels: {com.example.team: web}
      placement:
        constraints: ["node.role==worker", "node.labels.zone == a"]
        preferences: [{spread: node.labels.zone}]
        max_replicas_per_node: 2
      update_config: {parallelism: 2, delay: 10s, failure_action: rollback, monitor: 30s, max_failure_ratio: 0.25, order: start-first}
      rollback_config: {parallelism: 0, failure_action: continue}
      restart_policy: {condition: on-failure, delay: 3s, max_attempts: 4, window: 2m}
      resources:
        limits: {cpus: "1.5", memory: 512M}
        reservations: {cpus: 0.25, memory: 64m}
networks:
  front:
  back:
volumes:
  data:
    driver: local
    driver_opts: {type: tmpfs, device: tmpfs}
    labels: {backup: daily}
`;
    const spec = serviceOf(yaml, { env: { FROM_SHELL: 'shell' }, files: { '/proj/web.env': 'A=1\nB=from-file\n' } });
    const data = { driver: 'local', options: { type: 'tmpfs', device: 'tmpfs' }, labels: { backup: 'daily', ...NS } };
    expect(spec).toEqual({
      name: 'app_web',
      labels: { 'com.example.team': 'web', ...NS, 'com.docker.stack.image': 'nginx:1.25' },
      mode: { replicated: { replicas: 3 } },
      task: {
        container: {
          image: 'nginx:1.25',
          command: ['/docker-entrypoint.sh', '-x'],
          args: ['nginx', '-g', 'daemon off;'],
          env: ['A=1', 'B=from-env', 'DEBUG=true', 'FROM_SHELL=shell', 'PORT=8080'],
          labels: { 'com.example.role': 'frontend', ...NS },
          stopGracePeriodMs: 20_000,
          healthcheck: { test: ['CMD', 'wget', '-q', 'localhost'], intervalMs: 10_000, timeoutMs: 2000, retries: 5, startPeriodMs: 90_000 },
          mounts: [
            { type: 'volume', source: 'app_data', target: '/var/lib/data', volume: data },
            { type: 'bind', source: '/etc/ssl', target: '/etc/ssl', readOnly: true },
            { type: 'bind', source: '/proj/html', target: '/usr/share/nginx/html' },
            { type: 'volume', target: '/cache' },
            { type: 'tmpfs', target: '/scratch', tmpfs: { sizeBytes: 64 * 1024 * 1024 } },
            { type: 'volume', source: 'app_data', target: '/backup', readOnly: true, volume: data },
            { type: 'tmpfs', target: '/run' },
          ],
        },
        resources: { limits: { nanoCpus: 1.5e9, memoryBytes: 512 * 1024 * 1024 }, reservations: { nanoCpus: 0.25e9, memoryBytes: 64 * 1024 * 1024 } },
        restartPolicy: { condition: 'on-failure', delayMs: 3000, maxAttempts: 4, windowMs: 120_000 },
        placement: { constraints: ['node.role==worker', 'node.labels.zone==a'], preferences: [{ spread: 'node.labels.zone' }], maxReplicasPerNode: 2 },
        runtime: undefined,
      },
      networks: [
        { target: 'app_front', aliases: ['web', 'www'] },
        { target: 'app_back', aliases: ['web'] },
      ],
      endpoint: {
        ports: [
          { protocol: 'tcp', targetPort: 80, publishedPort: 8080, publishMode: 'ingress' },
          { protocol: 'udp', targetPort: 53, publishedPort: 53, publishMode: 'ingress' },
          { protocol: 'tcp', targetPort: 9000, publishedPort: 0, publishMode: 'ingress' },
          { protocol: 'tcp', targetPort: 443, publishedPort: 8443, publishMode: 'host' },
        ],
      },
      updateConfig: { parallelism: 2, delayMs: 10_000, order: 'start-first', failureAction: 'rollback', monitorMs: 30_000, maxFailureRatio: 0.25 },
      rollbackConfig: { parallelism: 0, delayMs: 0, order: 'stop-first', failureAction: 'continue', monitorMs: 5000, maxFailureRatio: 0 },
    });
  });

  it('gives a minimal service docker\'s defaults, the default network and its short name as alias', () => {
    const spec = serviceOf('services:\n  api:\n    image: busybox\n    command: sleep 1d\n');
    expect(spec.name).toBe('app_api');
    expect(spec.mode).toEqual({ replicated: { replicas: 1 } });
    expect(spec.task.container.args).toEqual(['sleep', '1d']);
    expect(spec.task.container.command).toBeUndefined();
    expect(spec.networks).toEqual([{ target: 'app_default', aliases: ['api'] }]);
    expect(spec.labels).toEqual({ ...NS, 'com.docker.stack.image': 'busybox' });
    expect(spec.task.container.labels).toEqual(NS);
    expect(spec.task.restartPolicy).toEqual({ condition: 'any', delayMs: 5000, maxAttempts: 0, windowMs: 0 });
    expect(spec.updateConfig).toBeUndefined();
  });

  it('converts global mode, dnsrr and environment lists', () => {
    const spec = serviceOf('services:\n  agent:\n    image: x\n    environment: [A=1, "B=x=y", SHELL_ONLY]\n    deploy:\n      mode: global\n      endpoint_mode: dnsrr\n', { env: { SHELL_ONLY: 's' } });
    expect(spec.mode).toEqual({ global: {} });
    expect(spec.task.container.env).toEqual(['A=1', 'B=x=y', 'SHELL_ONLY=s']);
    expect(spec.endpoint).toEqual({ mode: 'dnsrr', ports: [] });
  });

  it('expands port ranges', () => {
    const spec = serviceOf('services:\n  s:\n    image: x\n    ports: ["7000-7001:8000-8001", "9000-9001/udp"]\n');
    expect(spec.endpoint.ports.map((p) => `${p.publishedPort}:${p.targetPort}/${p.protocol}`)).toEqual(['7000:8000/tcp', '7001:8001/tcp', '0:9000/udp', '0:9001/udp']);
  });

  it('converts health check forms', () => {
    const hc = (body: string) => serviceOf(`services:\n  s:\n    image: x\n    healthcheck:\n${body}`).task.container.healthcheck;
    expect(hc('      test: curl -f localhost\n')).toEqual({ test: ['CMD-SHELL', 'curl -f localhost'], intervalMs: 30_000, timeoutMs: 30_000, retries: 3, startPeriodMs: 0 });
    expect(hc('      test: [CMD-SHELL, "exit 0"]\n      retries: 1\n')?.test).toEqual(['CMD-SHELL', 'exit 0']);
    expect(hc('      test: [NONE]\n')?.test).toEqual(['NONE']);
    expect(hc('      disable: true\n')?.test).toEqual(['NONE']);
    expect(hc('      disable: false\n')).toBeUndefined();
  });

  it('reads the service-level restart as docker does, unless deploy.restart_policy is set', () => {
    const policy = (body: string) => serviceOf(`services:\n  s:\n    image: x\n${body}`).task.restartPolicy;
    expect(policy('    restart: "no"\n').condition).toBe('none');
    expect(policy('    restart: unless-stopped\n').condition).toBe('any');
    expect(policy('    restart: on-failure:3\n')).toMatchObject({ condition: 'on-failure', maxAttempts: 3 });
    expect(policy('    restart: always\n    deploy: {restart_policy: {condition: none}}\n').condition).toBe('none');
  });

  it('resolves ~ in a bind source against home, and a long-syntax relative bind against the compose directory', () => {
    const spec = serviceOf('services:\n  s:\n    image: x\n    volumes: ["~/conf:/conf", {type: bind, source: ./d, target: /d}]\n');
    expect(spec.task.container.mounts).toEqual([
      { type: 'bind', source: '/home/u/conf', target: '/conf' },
      { type: 'bind', source: '/proj/d', target: '/d' },
    ]);
  });

  it('mounts external and explicitly named volumes by their own name, without stack labels for external ones', () => {
    const spec = serviceOf('services:\n  s:\n    image: x\n    volumes: ["ext:/a", "named:/b", "old:/c"]\nvolumes:\n  ext: {external: true}\n  named: {name: shared-data}\n  old: {external: {name: legacy}}\n');
    expect(spec.task.container.mounts).toEqual([
      { type: 'volume', source: 'ext', target: '/a' },
      { type: 'volume', source: 'shared-data', target: '/b', volume: { labels: NS } },
      { type: 'volume', source: 'legacy', target: '/c' },
    ]);
  });
});

describe('invalid services: an error naming the path of the bad key', () => {
  const bad = (service: string, extra = '') => errorOf(() => convert(`services:\n  web:\n    image: x\n${service}${extra}`));

  it.each([
    ['    deploy: {replicas: three}\n', 'invalid services.web.deploy.replicas: expected a non-negative integer, got "three"'],
    ['    deploy: {replicas: -1}\n', 'invalid services.web.deploy.replicas: expected a non-negative integer, got "-1"'],
    ['    deploy: {mode: global, replicas: 2}\n', 'invalid services.web.deploy.replicas: cannot be used with mode global'],
    ['    deploy: {mode: daemon}\n', 'invalid services.web.deploy.mode: expected replicated or global, got "daemon"'],
    ['    deploy: {update_config: {delay: 10}}\n', 'invalid services.web.deploy.update_config.delay: expected a duration such as 500ms, 5s, 1m30s or 1h, got "10"'],
    ['    deploy: {rollback_config: {failure_action: rollback}}\n', 'invalid services.web.deploy.rollback_config.failure_action: expected pause or continue, got "rollback"'],
    ['    deploy: {update_config: {max_failure_ratio: 2}}\n', 'invalid services.web.deploy.update_config.max_failure_ratio: expected a number from 0 to 1, got "2"'],
    ['    deploy: {resources: {limits: {memory: lots}}}\n', 'invalid services.web.deploy.resources.limits.memory: expected a size such as 512m, 1g, 100k or 1024b, got "lots"'],
    ['    deploy: {resources: {limits: {memory: 1m}}}\n', 'invalid services.web.deploy.resources.limits.memory: expected at least 6 MiB (the engine refuses less)'],
    ['    deploy: {placement: {constraints: ["node.labels.x~y"]}}\n', 'invalid services.web.deploy.placement.constraints[0]: "node.labels.x~y" is not a constraint'],
    ['    deploy: {placement: {preferences: [{}]}}\n', 'invalid services.web.deploy.placement.preferences[0]: expected "spread: <node attribute>"'],
    ['    deploy: {restart_policy: {condition: always}}\n', 'invalid services.web.deploy.restart_policy.condition: expected none or on-failure or any, got "always"'],
    ['    deploy: {endpoint_mode: dnsrr}\n    ports: ["80:80"]\n', 'invalid services.web.deploy.endpoint_mode: dnsrr cannot be used with a port published in ingress mode'],
    ['    ports: ["127.0.0.1:8080:80"]\n', 'invalid services.web.ports[0]: "127.0.0.1:8080:80" publishes on one host address'],
    ['    ports: ["8080:80/sctp"]\n', 'invalid services.web.ports[0]: protocol "sctp" is not supported'],
    ['    ports: [{published: 80}]\n', 'invalid services.web.ports[0].target: required'],
    ['    ports: ["80:80", "80:81"]\n', 'invalid services.web.ports: tcp/80 is published twice'],
    ['    ports: "80:80"\n', 'invalid services.web.ports: expected a list, got "80:80"'],
    ['    volumes: ["data:/d"]\n', 'invalid services.web.volumes[0]: volume "data" is not declared under the top-level volumes'],
    ['    volumes: ["/a:/b:z"]\n', 'invalid services.web.volumes[0]: mode "z" in "/a:/b:z" is not supported: expected ro or rw'],
    ['    volumes: [{type: volume, target: /d, volume: {nocopy: true}}]\n', 'invalid services.web.volumes[0].volume.nocopy: not supported'],
    ['    volumes: [{type: npipe, target: /d}]\n', 'invalid services.web.volumes[0].type: expected volume or bind or tmpfs, got "npipe"'],
    ['    volumes: ["/a:rel"]\n', 'invalid services.web.volumes: "rel" is not an absolute path'],
    ['    networks: [back]\n', 'invalid services.web.networks: network "back" is not declared under the top-level networks'],
    ['    healthcheck: {interval: 5s}\n', 'invalid services.web.healthcheck.test: required with timings'],
    ['    healthcheck: {test: [RUN, x]}\n', 'invalid services.web.healthcheck.test: expected a command string, or a list starting with NONE, CMD, CMD-SHELL'],
    ['    healthcheck: {test: "x", disable: true}\n', 'invalid services.web.healthcheck.disable: cannot be combined with a test'],
    ['    stop_grace_period: soon\n', 'invalid services.web.stop_grace_period: expected a duration'],
    ['    env_file: missing.env\n', 'invalid services.web.env_file (missing.env): no such file'],
    ['    environment: {A: [1]}\n', 'invalid services.web.environment.A: expected a string, got a list'],
    ['    entrypoint: "sh -c \'oops"\n', 'invalid services.web.entrypoint: unterminated single quote'],
    ['    labels: {a: {b: c}}\n', 'invalid services.web.labels.a: expected a string, got a mapping'],
    ['    restart: sometimes\n', 'invalid services.web.restart: expected no or always or unless-stopped or on-failure, got "sometimes"'],
  ])('%s', (service, message) => {
    expect(bad(service)).toContain(message);
  });

  it('requires an image', () => {
    expect(errorOf(() => convert('services:\n  web:\n    build: .\n'))).toBe('invalid services.web.image: required: orch runs images, it does not build them');
  });

  it('refuses a service name the stack prefix makes too long', () => {
    expect(errorOf(() => convert(`services:\n  ${'w'.repeat(62)}:\n    image: x\n`))).toMatch(/^invalid services\.w+: "app_w+" is not a valid service name/);
  });

  it('refuses a file without services', () => {
    expect(errorOf(() => convert('version: "3"\n'))).toBe('invalid services: expected at least one service');
    expect(errorOf(() => convert('services: [web]\n'))).toBe('invalid services: expected a mapping, got a list');
  });
});
