import pino from 'pino';
import { Kernel, orderPlugins } from '../../../core/kernel';
import caForgeDefault, { caForgePlugin, certificateAuthority, CertificateAuthorityToken, parseJoinToken } from '../../../plugins/ca-forge';

const config = { dataDir: '/nonexistent', nodeId: 'node1', role: 'manager', advertiseAddr: '127.0.0.1', listenAddr: '127.0.0.1:0' } as const;

describe('ca-forge plugin', () => {
  it('is a valid plugin for this kernel, exported by default and by name', () => {
    expect(caForgeDefault).toBe(caForgePlugin);
    expect(caForgePlugin).toMatchObject({ name: 'ca-forge', version: '0.1.0', kernel: '^1.0' });
    expect(orderPlugins([caForgePlugin])).toEqual([caForgePlugin]);
  });

  it('registers the CA library under CertificateAuthorityToken', async () => {
    const kernel = new Kernel(config, pino({ level: 'silent' }));
    await kernel.use([caForgePlugin]);
    const ca = kernel.container.resolve(CertificateAuthorityToken);
    expect(ca).toBe(certificateAuthority);
    expect(ca.parseJoinToken).toBe(parseJoinToken);
    expect(Object.isFrozen(ca)).toBe(true);
  });
});
