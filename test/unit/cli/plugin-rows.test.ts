import { pluginRows } from '../../../cli/views/plugins';
import { makeNode } from '../../../core/testing/builders';

describe('plugin ls rows', () => {
  it('lists each node\'s plugins in apply order, nodes by hostname, dashes for none', () => {
    const withPlugins = (id: string, hostname: string, plugins: { name: string; taps?: string[]; provides?: string[] }[]) => {
      const n = makeNode(id, { hostname });
      return { ...n, description: { ...n.description, plugins: plugins.map((p) => ({ version: '1.0.0', taps: [], provides: [], ...p })) } };
    };
    const rows = pluginRows([
      withPlugins('b', 'worker-1', [{ name: 'runtime-docker', provides: ['Runtime'] }]),
      withPlugins('a', 'manager-1', [{ name: 'store-raft', provides: ['ClusterStore', 'Consensus'], taps: ['cluster.listener'] }, { name: 'quiet' }]),
    ]);
    expect(rows).toEqual([
      { Node: 'manager-1', Name: 'store-raft', Version: '1.0.0', Provides: 'ClusterStore, Consensus', Taps: 'cluster.listener' },
      { Node: 'manager-1', Name: 'quiet', Version: '1.0.0', Provides: '-', Taps: '-' },
      { Node: 'worker-1', Name: 'runtime-docker', Version: '1.0.0', Provides: 'Runtime', Taps: '-' },
    ]);
  });
});
