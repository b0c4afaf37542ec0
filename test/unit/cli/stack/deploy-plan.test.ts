import type { Network, Service } from '../../../../core/model/types';
import { planDeploy } from '../../../../cli/stack/deploy-plan';
import { convert } from './helpers';

const FILE = `
services:
  web: {image: "web:1", ports: ["8080:80"], networks: [front]}
  api: {image: "api:1", deploy: {replicas: 2}}
networks:
  front: {}
`;

let ids = 0;
const meta = { version: 7, createdAt: '2024-01-01T00:00:00Z', updatedAt: '2024-01-01T00:00:00Z' };

function network(name: string, labels: Record<string, string> = { 'com.docker.stack.namespace': 'app' }): Network {
  return { id: `net-${name}`, meta, spec: { name, driver: 'overlay', labels, attachable: false }, subnet: '10.0.1.0/24', gateway: '10.0.1.1' };
}

/** The services of FILE as the store keeps them: networks by id. */
function deployed(file = FILE): Service[] {
  return convert(file).services.map((spec) => ({
    id: `svc-${++ids}`,
    meta,
    spec: { ...spec, networks: spec.networks?.map((n) => ({ ...n, target: `net-${n.target}` })) },
    specVersion: 1,
    endpoint: { ports: spec.endpoint.ports },
  }));
}

describe('deploy plan', () => {
  it('creates everything on a first deploy', () => {
    const plan = planDeploy(convert(FILE), { services: [], networks: [] }, { prune: false });
    expect(plan.createNetworks.map((n) => n.name)).toEqual(['app_front', 'app_default']);
    expect(plan.create.map((s) => s.name)).toEqual(['app_api', 'app_web']);
    expect(plan.update).toEqual([]);
    expect(plan.remove).toEqual([]);
  });

  it('changes nothing when the files describe what runs (networks compared by name)', () => {
    const plan = planDeploy(convert(FILE), { services: deployed(), networks: [network('app_front'), network('app_default')] }, { prune: true });
    expect(plan).toEqual({ remove: [], createNetworks: [], create: [], update: [], unchanged: ['app_api', 'app_web'], warnings: [] });
  });

  it('updates only the service that changed, with the version it was read at, keeping its forceUpdate', () => {
    const current = deployed();
    const api = current.find((s) => s.spec.name === 'app_api')!;
    const forced = { ...api, spec: { ...api.spec, task: { ...api.spec.task, forceUpdate: 3 } } };
    const services = current.map((s) => (s === api ? forced : s));
    const plan = planDeploy(convert(FILE.replace('api:1', 'api:2')), { services, networks: [network('app_front'), network('app_default')] }, { prune: false });
    expect(plan.unchanged).toEqual(['app_web']);
    expect(plan.update).toHaveLength(1);
    expect(plan.update[0]).toMatchObject({ id: api.id, version: 7 });
    expect(plan.update[0].spec.task.container.image).toBe('api:2');
    expect(plan.update[0].spec.labels['com.docker.stack.image']).toBe('api:2');
    expect(plan.update[0].spec.task.forceUpdate).toBe(3);
  });

  it('sees a changed network attachment as a change', () => {
    const plan = planDeploy(convert(FILE.replace('networks: [front]', 'networks: [front, back]') + '  back: {}\n'), { services: deployed(), networks: [network('app_front'), network('app_default')] }, { prune: false });
    expect(plan.createNetworks.map((n) => n.name)).toEqual(['app_back']);
    expect(plan.update.map((u) => u.spec.name)).toEqual(['app_web']);
  });

  it('removes the stack\'s services the files no longer have, only with prune and only of this stack', () => {
    const current = deployed(FILE.replace('networks:\n', '  old: {image: x}\nnetworks:\n'));
    const other = { ...deployed('services:\n  other: {image: x}\n')[0] };
    const foreign = { ...other, spec: { ...other.spec, name: 'lonely', labels: {} } };
    const state = { services: [...current, foreign], networks: [network('app_front'), network('app_default')] };
    expect(planDeploy(convert(FILE), state, { prune: false }).remove).toEqual([]);
    expect(planDeploy(convert(FILE), state, { prune: true }).remove.map((s) => s.spec.name)).toEqual(['app_old']);
  });

  it('refuses a missing external network, and a name taken by a service of no or another stack', () => {
    expect(() => planDeploy(convert('services:\n  web: {image: x, networks: [e]}\nnetworks:\n  e: {external: true}\n'), { services: [], networks: [] }, { prune: false })).toThrow(
      'network "e" is declared as external, but could not be found: create it first ("orch network create e")',
    );
    const [web] = deployed('services:\n  web: {image: x}\n');
    const taken = { ...web, spec: { ...web.spec, labels: { 'com.docker.stack.namespace': 'other' } } };
    expect(() => planDeploy(convert('services:\n  web: {image: x}\n'), { services: [taken], networks: [] }, { prune: false })).toThrow('service app_web exists and belongs to stack other: remove it or choose another stack name');
  });

  it('leaves a network that exists with other settings, with a warning', () => {
    const plan = planDeploy(convert(FILE), { services: [], networks: [network('app_front', {}), network('app_default')] }, { prune: false });
    expect(plan.createNetworks).toEqual([]);
    expect(plan.warnings).toEqual(['network app_front exists with other settings than networks.front gives it: leaving it as it is']);
  });
});
