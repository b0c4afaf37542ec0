import { keepPublishedPorts, updatedEndpoint } from '../../../core/allocator/service-endpoint';
import { Hooks } from '../../../core/hooks';
import type { PortConfig, Service, ServiceSpec } from '../../../core/model/types';
import { serviceSpec, setup } from './network-fixtures';

const port = (targetPort: number, publishedPort = 0, o: Partial<PortConfig> = {}): PortConfig => ({ protocol: 'tcp', targetPort, publishedPort, publishMode: 'ingress', ...o });

/** A stack with networks `front` and `back` and a service `web` on `front` publishing 80 (allocated) and 8080:81. */
async function withWeb(hooks?: Hooks) {
  const s = await setup(hooks);
  const front = (await s.api.NetworkCreate({ spec: { name: 'front' } })).network;
  const back = (await s.api.NetworkCreate({ spec: { name: 'back' } })).network;
  const { service: web } = await s.api.ServiceCreate({ spec: serviceSpec('web', { networks: [{ target: 'front', aliases: ['www'] }], endpoint: { ports: [{ targetPort: 80 }, { targetPort: 81, publishedPort: 8080 }] } }) });
  /** `web`'s current spec with `change` applied, as a client would send it. */
  const edit = async (change: (spec: ServiceSpec) => Partial<ServiceSpec>): Promise<ServiceSpec> => {
    const { service } = await s.api.ServiceInspect({ ref: 'web' });
    return { ...service.spec, ...change(service.spec) };
  };
  return { ...s, front, back, web, edit };
}

describe('ServiceCreate with networks', () => {
  it('stores the attachments by network id, and the endpoint mode', async () => {
    const { web, front } = await withWeb();
    expect(web.spec.networks).toEqual([{ target: front.id, aliases: ['www'] }]);
    expect(web.endpoint).toEqual({ mode: 'vip', ports: [port(80, 30000), port(81, 8080)] });
  });

  it('takes a network by id or id prefix, and stores dnsrr', async () => {
    const { api, front, back } = await withWeb();
    const { service } = await api.ServiceCreate({
      spec: serviceSpec('db', { networks: [{ target: front.id }, { target: back.id.slice(0, 6) }], endpoint: { mode: 'dnsrr', ports: [{ targetPort: 5432, publishMode: 'host' }] } }),
    });
    expect(service.spec.networks).toEqual([{ target: front.id }, { target: back.id }]);
    expect(service.endpoint.mode).toBe('dnsrr');
  });

  it('refuses unknown networks and one network named twice, naming the attachment', async () => {
    const { api, refused, front } = await withWeb();
    expect(await refused(api.ServiceCreate({ spec: serviceSpec('db', { networks: [{ target: 'front' }, { target: 'foo' }] }) }))).toMatchObject({
      code: 'invalid',
      field: 'networks[1].target',
      message: 'invalid networks[1].target: network "foo" not found',
    });
    expect(await refused(api.ServiceCreate({ spec: serviceSpec('db', { networks: [{ target: 'front' }, { target: front.id }] }) }))).toMatchObject({
      code: 'invalid',
      field: 'networks[1].target',
      message: `invalid networks[1].target: "${front.id}" names the same network as networks[0]: attach a network once`,
    });
  });
});

describe('ServiceUpdate', () => {
  it('writes the new spec as the next spec version, keeping the previous one', async () => {
    const { api, web, edit } = await withWeb();
    const spec = await edit((s) => ({ labels: { tier: 'web' }, mode: { replicated: { replicas: 3 } }, endpoint: s.endpoint }));
    const { service } = await api.ServiceUpdate({ ref: 'web', spec, version: web.meta.version });
    expect(service).toMatchObject({ id: web.id, specVersion: 2, previousSpec: web.spec, spec: { labels: { tier: 'web' }, mode: { replicated: { replicas: 3 } } } });
    expect(service.endpoint).toEqual({ mode: 'vip', ports: web.endpoint.ports, virtualIps: [] });
    expect(service.meta.createdAt).toBe(web.meta.createdAt);
  });

  it('keeps allocated published ports, allocates new ones, and refuses ports other services publish', async () => {
    const { api, refused, edit } = await withWeb();
    await api.ServiceCreate({ spec: serviceSpec('other', { endpoint: { ports: [{ targetPort: 1, publishedPort: 9000 }] } }) });
    const spec = await edit((s) => ({ endpoint: { ports: [...s.endpoint.ports, port(82), port(80, 0, { protocol: 'udp' })] } }));
    const { service } = await api.ServiceUpdate({ ref: 'web', spec });
    expect(service.endpoint.ports).toEqual([port(80, 30000), port(81, 8080), port(82, 30001), port(80, 30000, { protocol: 'udp' })]);

    const clash = await edit((s) => ({ endpoint: { ports: [...s.endpoint.ports, port(83, 9000)] } }));
    expect(await refused(api.ServiceUpdate({ ref: 'web', spec: clash }))).toMatchObject({
      code: 'invalid',
      field: 'endpoint.ports[4].publishedPort',
      message: 'port tcp/9000 is already published by service "other"',
    });
  });

  it('is a no-op when the spec is the one the service has', async () => {
    const { api, store, web } = await withWeb();
    const before = store.version;
    const { service } = await api.ServiceUpdate({ ref: web.id, spec: web.spec, version: web.meta.version });
    expect(service).toEqual(web);
    expect(store.version).toBe(before);
    // The same spec with the network named as the user knows it, and vip spelled out, says the same.
    const { service: again } = await api.ServiceUpdate({ ref: 'web', spec: serviceSpec('web', { networks: [{ target: 'front', aliases: ['www'] }], endpoint: { mode: 'vip', ports: web.spec.endpoint.ports } }) });
    expect(again).toEqual(web);
  });

  it('keeps the virtual IPs of networks the service stays on, in vip mode only', async () => {
    const { api, store, web, front, back, edit } = await withWeb();
    await store.update((tx) => {
      const s = tx.services.get(web.id)!;
      tx.services.update({ ...s, endpoint: { ...s.endpoint, virtualIps: [{ networkId: front.id, addr: '10.0.9.2' }] } });
    });
    const onBoth = await edit((s) => ({ networks: [...s.networks!, { target: 'back' }] }));
    const { service } = await api.ServiceUpdate({ ref: 'web', spec: onBoth });
    expect(service.spec.networks).toEqual([{ target: front.id, aliases: ['www'] }, { target: back.id }]);
    expect(service.endpoint.virtualIps).toEqual([{ networkId: front.id, addr: '10.0.9.2' }]);

    const { service: moved } = await api.ServiceUpdate({ ref: 'web', spec: await edit(() => ({ networks: [{ target: 'back' }] })) });
    expect(moved.endpoint.virtualIps).toEqual([]);
  });

  it('refuses a stale version, a new name, a bad or refused spec and unknown networks, writing nothing', async () => {
    const validate = new Hooks();
    validate.service.validate.tap('test', (spec) => (spec.labels.forbidden !== undefined ? 'invalid labels.forbidden: not here' : undefined));
    const { api, refused, web, edit } = await withWeb(validate);
    await api.ServiceScale({ ref: 'web', replicas: 2 });
    const spec = await edit(() => ({ labels: { a: 'b' } }));
    expect(await refused(api.ServiceUpdate({ ref: 'web', spec, version: web.meta.version }))).toMatchObject({
      code: 'conflict',
      field: 'version',
      message: expect.stringMatching(new RegExp(`^service web changed since it was read \\(version ${web.meta.version}, now \\d+\\); retry$`)),
    });
    expect(await refused(api.ServiceUpdate({ ref: 'web', spec: { ...spec, name: 'web2' } }))).toMatchObject({ code: 'invalid', field: 'name', message: 'invalid name: a service cannot be renamed: expected "web", got "web2"' });
    expect(await refused(api.ServiceUpdate({ ref: 'web', spec: { ...spec, mode: { replicated: { replicas: -1 } } } }))).toMatchObject({ field: 'mode.replicated.replicas' });
    expect(await refused(api.ServiceUpdate({ ref: 'web', spec: { ...spec, labels: { forbidden: '' } } }))).toMatchObject({ code: 'invalid', message: 'invalid labels.forbidden: not here' });
    expect(await refused(api.ServiceUpdate({ ref: 'web', spec: { ...spec, networks: [{ target: 'nope' }] } }))).toMatchObject({ field: 'networks[0].target', message: 'invalid networks[0].target: network "nope" not found' });
    expect(await refused(api.ServiceUpdate({ ref: 'web', spec: { ...spec, endpoint: { mode: 'dnsrr', ports: spec.endpoint.ports } } }))).toMatchObject({ field: 'endpoint.mode' });
    expect(await refused(api.ServiceUpdate({ ref: 'web', spec, version: -1 }))).toMatchObject({ field: 'version' });
    expect(await refused(api.ServiceUpdate({ ref: 'ghost', spec }))).toMatchObject({ code: 'not-found' });
  });
});

describe('ServiceRollback', () => {
  it('puts the previous spec back as the next version, the spec it leaves as the previous one, status rollback_started', async () => {
    const { api, web, edit } = await withWeb();
    const { service: v2 } = await api.ServiceUpdate({ ref: 'web', spec: await edit(() => ({ labels: { v: '2' } })) });
    const { service } = await api.ServiceRollback({ ref: 'web', version: v2.meta.version });
    expect(service).toMatchObject({ specVersion: 3, spec: web.spec, previousSpec: v2.spec, updateStatus: { state: 'rollback_started', message: 'manually requested rollback', specVersion: 3 } });
    expect(service.endpoint.ports).toEqual(web.endpoint.ports);
    const { service: again } = await api.ServiceRollback({ ref: 'web' });
    expect(again).toMatchObject({ specVersion: 4, spec: v2.spec, previousSpec: web.spec });
  });

  it('refuses a service without a previous spec, and a stale version, changing nothing', async () => {
    const { api, refused, web } = await withWeb();
    expect(await refused(api.ServiceRollback({ ref: 'web' }))).toMatchObject({ code: 'conflict', message: 'service web has no previous spec to roll back to' });
    expect(await refused(api.ServiceRollback({ ref: 'web', version: web.meta.version - 1 }))).toMatchObject({ code: 'conflict', field: 'version' });
    expect((await api.ServiceInspect({ ref: 'web' })).service).toEqual(web);
  });
});

describe('keepPublishedPorts', () => {
  it('gives each port asking for any published port the one allocated to its twin before, once', () => {
    const before = [port(80, 30000), port(80, 30001), port(53, 30002, { protocol: 'udp' }), port(22, 0, { publishMode: 'host' })];
    expect(keepPublishedPorts([port(80), port(53, 0, { protocol: 'udp' }), port(80), port(80), port(8, 7)], before)).toEqual([
      port(80, 30000),
      port(53, 30002, { protocol: 'udp' }),
      port(80, 30001),
      port(80),
      port(8, 7),
    ]);
    expect(keepPublishedPorts([port(53), port(80, 0, { publishMode: 'host' })], before)).toEqual([port(53), port(80, 0, { publishMode: 'host' })]);
  });
});

describe('updatedEndpoint', () => {
  const current = { endpoint: { mode: 'vip', ports: [], virtualIps: [{ networkId: 'n1', addr: '10.0.1.2' }, { networkId: 'n2', addr: '10.0.2.2' }] } } as unknown as Service;
  const spec = (networks: string[], mode?: 'dnsrr') => ({ networks: networks.map((target) => ({ target })), endpoint: { ...(mode && { mode }), ports: [] } }) as unknown as ServiceSpec;

  it('keeps virtual IPs on the networks that stay, in vip mode', () => {
    expect(updatedEndpoint(current, spec(['n2', 'n3']), [port(80, 1)])).toEqual({ mode: 'vip', ports: [port(80, 1)], virtualIps: [{ networkId: 'n2', addr: '10.0.2.2' }] });
    expect(updatedEndpoint(current, spec(['n1', 'n2'], 'dnsrr'), [])).toEqual({ mode: 'dnsrr', ports: [], virtualIps: [] });
  });
});
