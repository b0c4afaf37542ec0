import type { Endpoint } from '../../../core/network/contract';
import type { PortBinding } from '../../../core/model/types';
import { backendsFor } from '../../../plugins/net-ingress/backends';

const bind = (targetPort: number, hostPort: number, hostIp = '192.168.1.2', protocol: PortBinding['protocol'] = 'tcp'): PortBinding => ({ protocol, targetPort, hostIp, hostPort });
const ep = (taskId: string, nodeId: string, o: { addr?: string; ports?: PortBinding[] } = {}): Endpoint => ({
  taskId,
  serviceId: 's1',
  nodeId,
  ...(o.addr !== undefined && { addr: o.addr }),
  ports: o.ports ?? [],
  networks: [],
});

describe('backendsFor', () => {
  it('reaches a task on this node at its own address and the target port', () => {
    const endpoints = [ep('t1', 'self', { addr: '172.17.0.3', ports: [bind(80, 32768)] })];
    expect(backendsFor(endpoints, 'tcp', 80, 'self')).toEqual([{ host: '172.17.0.3', port: 80 }]);
  });

  it('reaches a task on this node at its own address for any target port and protocol', () => {
    const endpoints = [ep('t1', 'self', { addr: '172.17.0.3' })];
    expect(backendsFor(endpoints, 'udp', 53, 'self')).toEqual([{ host: '172.17.0.3', port: 53 }]);
  });

  it('reaches a task elsewhere at the host address and port its node binds the target port on', () => {
    const endpoints = [ep('t1', 'other', { addr: '172.17.0.3', ports: [bind(443, 32770), bind(80, 32768, '192.168.1.7')] })];
    expect(backendsFor(endpoints, 'tcp', 80, 'self')).toEqual([{ host: '192.168.1.7', port: 32768 }]);
  });

  it('leaves out a task elsewhere that does not expose the target port', () => {
    const endpoints = [ep('t1', 'other', { addr: '172.17.0.3', ports: [bind(443, 32770)] }), ep('t2', 'other')];
    expect(backendsFor(endpoints, 'tcp', 80, 'self')).toEqual([]);
  });

  it('matches the protocol of a binding as well as its target port', () => {
    const endpoints = [ep('t1', 'other', { ports: [bind(53, 32000, '192.168.1.2', 'udp'), bind(53, 32001, '192.168.1.2', 'tcp')] })];
    expect(backendsFor(endpoints, 'tcp', 53, 'self')).toEqual([{ host: '192.168.1.2', port: 32001 }]);
    expect(backendsFor(endpoints, 'udp', 53, 'self')).toEqual([{ host: '192.168.1.2', port: 32000 }]);
    const udpOnly = [ep('t2', 'other', { ports: [bind(53, 32000, '192.168.1.2', 'udp')] })];
    expect(backendsFor(udpOnly, 'tcp', 53, 'self')).toEqual([]);
  });

  it('falls back to the binding for a task on this node that reported no address', () => {
    const endpoints = [ep('t1', 'self', { ports: [bind(80, 32768, '127.0.0.1')] }), ep('t2', 'self')];
    expect(backendsFor(endpoints, 'tcp', 80, 'self')).toEqual([{ host: '127.0.0.1', port: 32768 }]);
  });

  it('keeps the endpoints’ order, mixing local and remote tasks', () => {
    const endpoints = [
      ep('t1', 'other', { ports: [bind(80, 32768, '192.168.1.2')] }),
      ep('t2', 'self', { addr: '172.17.0.4' }),
      ep('t3', 'third', { ports: [bind(80, 32769, '192.168.1.3')] }),
    ];
    expect(backendsFor(endpoints, 'tcp', 80, 'self')).toEqual([
      { host: '192.168.1.2', port: 32768 },
      { host: '172.17.0.4', port: 80 },
      { host: '192.168.1.3', port: 32769 },
    ]);
  });

  it('is empty without endpoints', () => {
    expect(backendsFor([], 'tcp', 80, 'self')).toEqual([]);
  });
});
