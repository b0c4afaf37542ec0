import pino from 'pino';
import { Kernel, orderPlugins, type Plugin } from '../../../core/kernel';
import { Tokens } from '../../../core/tokens';

const kernel = () => new Kernel({ dataDir: '/nowhere', nodeId: 'n1', role: 'manager', advertiseAddr: '127.0.0.1', listenAddr: '127.0.0.1:0' }, pino({ level: 'silent' }));
const plugin = (name: string, o: Partial<Plugin> = {}): Plugin => ({ name, version: '1.0.0', kernel: '^1.0', apply: () => {}, ...o });

describe('plugin manifests', () => {
  it('records what each plugin tapped and provided, and gives each a container of its own', async () => {
    const k = kernel();
    let privateResolved: unknown;
    await k.use([
      plugin('a', {
        provides: ['Scheduler'],
        taps: ['scheduler.filter', 'health.check'],
        apply(pk) {
          pk.hooks.scheduler.filter.tap('a', () => undefined);
          pk.hooks.health.check.for('exec').tapPromise('a', async () => undefined);
          pk.lifecycle.start.tapPromise('a', async () => {});
          pk.provide(Tokens.Scheduler, { schedule: () => [] } as never);
          pk.container.register('a-private', { useValue: 1 });
        },
      }),
      plugin('b', {
        dependsOn: ['a'],
        apply(pk) {
          privateResolved = pk.container.isRegistered('a-private', true);
          expect(pk.container.resolve(Tokens.Scheduler)).toBeDefined();
        },
      }),
    ]);
    expect(k.loaded).toEqual([
      { name: 'a', version: '1.0.0', taps: ['health.check', 'scheduler.filter'], provides: ['Scheduler'] },
      { name: 'b', version: '1.0.0', taps: [], provides: [] },
    ]);
    expect(privateResolved).toBe(false);
  });

  it('refuses a plugin that taps or provides what it does not declare, naming both', async () => {
    const tapper = plugin('tapper', { apply: (pk) => void pk.hooks.service.validate.tap('tapper', () => undefined) });
    await expect(kernel().use([tapper])).rejects.toThrow('plugin "tapper" taps service.validate but its manifest does not declare it: add "service.validate" to "taps"');
    const provider = plugin('provider', { apply: (pk) => pk.provide(Tokens.Scheduler, {} as never) });
    await expect(kernel().use([provider])).rejects.toThrow('plugin "provider" provides Scheduler but its manifest does not declare it');
  });

  it('refuses two plugins providing one single provider before applying any; runtimes may be many', () => {
    expect(() => orderPlugins([plugin('spread', { provides: ['Scheduler'] }), plugin('binpack', { provides: ['Scheduler'] })])).toThrow(
      'plugins "spread" and "binpack" both provide Scheduler: disable one',
    );
    expect(orderPlugins([plugin('docker', { provides: ['Runtime'] }), plugin('process', { provides: ['Runtime'] })])).toHaveLength(2);
  });
});
