import { allocatePorts } from '../../../core/allocator/ports';
import type { PortConfig, Service } from '../../../core/model/types';

const port = (publishedPort: number, publishMode: 'ingress' | 'host' = 'ingress'): PortConfig => ({ protocol: 'tcp', targetPort: 80, publishedPort, publishMode });
const svc = (name: string, ports: PortConfig[]) => ({ id: name, spec: { name }, endpoint: { ports } }) as unknown as Service;

describe('published port allocation', () => {
  it('gives port 0 the lowest free dynamic port', () => {
    expect(allocatePorts([port(0)], [svc('a', [port(30000)])])[0].publishedPort).toBe(30001);
    expect(allocatePorts([port(0), port(0)], []).map((p) => p.publishedPort)).toEqual([30000, 30001]);
  });

  it('refuses an ingress port another service publishes, naming it', () => {
    expect(() => allocatePorts([port(8080)], [svc('web', [port(8080)])])).toThrow('port tcp/8080 is already published by service "web"');
  });

  it('leaves host-mode ports to the scheduler', () => {
    expect(allocatePorts([port(8080, 'host')], [svc('web', [port(8080)])])).toEqual([port(8080, 'host')]);
  });

  it('lets udp and tcp share a number', () => {
    const udp = { ...port(8080), protocol: 'udp' as const };
    expect(allocatePorts([udp], [svc('web', [port(8080)])])).toEqual([udp]);
  });
});
