import { Kernel, orderPlugins } from '../../../core/kernel';
import netIngressDefault, { IngressMeshToken, createNetIngressPlugin, netIngressPlugin } from '../../../plugins/net-ingress';
import { HOSTS, allBound, freePort, ingress, isFree, request, service, silent, tcpBackends } from './helpers';

const config = { dataDir: '/nonexistent', nodeId: 'node1', role: 'worker', advertiseAddr: '127.0.0.1', listenAddr: '127.0.0.1:0' } as const;

describe('net-ingress plugin', () => {
  it('is a valid plugin for this kernel, exported by default and by name', () => {
    expect(netIngressDefault).toBe(netIngressPlugin);
    expect(netIngressPlugin).toMatchObject({ name: 'net-ingress', version: '0.1.0', kernel: '^1.0' });
    expect(orderPlugins([netIngressPlugin])).toEqual([netIngressPlugin]);
  });

  it('feeds the mesh from ingress.endpoints, registers it, and closes it on stop', async () => {
    const backends = await tcpBackends();
    const kernel = new Kernel(config, silent);
    await kernel.use([createNetIngressPlugin({ bindAddress: '127.0.0.1' })]);
    const mesh = kernel.container.resolve(IngressMeshToken);
    const published = await freePort();
    try {
      kernel.hooks.ingress.endpoints.call(service([ingress('tcp', published, backends.port)], HOSTS));
      await allBound(mesh);
      expect(await request(published)).toMatch(/^127\.0\.0\.\d 4$/);
      expect(mesh.stats()).toMatchObject([{ serviceId: 'svc1', connectionsTotal: 1 }]);
      await kernel.lifecycle.stop.promise();
      expect(await isFree(published, 'tcp')).toBe(true);
      kernel.hooks.ingress.endpoints.call(service([ingress('tcp', published, backends.port)], HOSTS));
      expect(mesh.ports()).toEqual([]);
    } finally {
      await mesh.close();
      await backends.close();
    }
  });
});
