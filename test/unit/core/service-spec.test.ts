import { parseServiceSpec, replicasOf } from '../../../core/model/service-spec';

const minimal = { name: 'web', task: { container: { image: 'orch-test/busybox' } } };

describe('service spec validation', () => {
  it('fills swarm mode defaults', () => {
    const spec = parseServiceSpec(minimal);
    expect(replicasOf(spec)).toBe(1);
    expect(spec.task.restartPolicy).toEqual({ condition: 'any', delayMs: 5000, maxAttempts: 0, windowMs: 0 });
    expect(spec.task.container.stopGracePeriodMs).toBe(10000);
    expect(spec.endpoint.ports).toEqual([]);
  });

  it('fills port defaults', () => {
    const spec = parseServiceSpec({ ...minimal, endpoint: { ports: [{ targetPort: 80 }] } });
    expect(spec.endpoint.ports).toEqual([{ protocol: 'tcp', targetPort: 80, publishedPort: 0, publishMode: 'ingress' }]);
  });

  it.each([
    [{ ...minimal, mode: { replicated: { replicas: -1 } } }, 'mode.replicated.replicas', /expected an integer from 0 to 100000, got -1/],
    [{ ...minimal, mode: { replicated: { replicas: 'abc' } } }, 'mode.replicated.replicas', /got "abc"/],
    [{ ...minimal, name: 'bad name' }, 'name', /not a valid service name/],
    [{ ...minimal, endpoint: { ports: [{ targetPort: 80, publishedPort: 99999 }] } }, 'endpoint.ports[0].publishedPort', /from 0 to 65535/],
    [{ ...minimal, endpoint: { ports: [{ targetPort: 80, protocol: 'sctp' }] } }, 'endpoint.ports[0].protocol', /one of tcp, udp/],
    [{ ...minimal, task: { container: { image: 'x', env: ['NOEQUALS'] } } }, 'task.container.env[0]', /KEY=VALUE/],
    [{ ...minimal, task: { container: { image: 'x' }, placement: { constraints: ['node.labels.x~y'] } } }, 'task.placement.constraints[0]', /not a constraint/],
    [{ ...minimal, task: { container: { image: 'x' }, restartPolicy: { condition: 'sometimes' } } }, 'task.restartPolicy.condition', /any, on-failure, none/],
    [{ ...minimal, task: { container: { image: 'x', colour: 'red' } } }, 'task.container.colour', /unknown field/],
    [{ ...minimal, task: { container: {} } }, 'task.container.image', /expected a string/],
    [{ ...minimal, mode: { global: {}, replicated: { replicas: 1 } } }, 'mode', /not both/],
    [
      { ...minimal, task: { container: { image: 'x' }, resources: { limits: { nanoCpus: 1e9 }, reservations: { nanoCpus: 2e9 } } } },
      'task.resources.reservations.nanoCpus',
      /exceeds the limit/,
    ],
    [{ ...minimal, endpoint: { ports: [{ targetPort: 80, publishedPort: 8080 }, { targetPort: 81, publishedPort: 8080 }] } }, 'endpoint.ports[1].publishedPort', /published twice/],
  ])('refuses bad input naming the field (%#)', (input, field, message) => {
    let caught: unknown;
    try {
      parseServiceSpec(input);
    } catch (err) {
      caught = err;
    }
    expect(caught).toMatchObject({ code: 'invalid', field });
    expect((caught as Error).message).toMatch(message);
    expect((caught as Error).message).toContain(field);
  });

  it('accepts a global service', () => {
    expect(replicasOf(parseServiceSpec({ ...minimal, mode: { global: {} } }))).toBeUndefined();
  });
});
