import { Hooks } from '../../../core/hooks';
import type { Node } from '../../../core/model/types';
import { nodeMatcher } from '../../../core/scheduler/constraint-lookup';
import { planGlobal } from '../../../core/orchestrator/global';
import { T0, created, makeNode, makeService, makeTask, summary } from './fixtures';

/** Hooks answering `node.hostname` exactly and `node.labels.*` by prefix. */
function hooks(): Hooks {
  const h = new Hooks();
  h.constraints.key.for('node.hostname').tap('test', (node) => node.description.hostname);
  h.constraints.key.for('node.labels').tap('test', (node, key) => node.spec.labels[key.slice('node.labels.'.length)]);
  return h;
}
const keys = hooks();

describe('constraint keys from hooks', () => {
  const node = makeNode('n1', { labels: { zone: 'a' } });
  const matches = (...constraints: string[]) => nodeMatcher(constraints, keys)(node);

  it('looks a key up exactly, then by its longest tapped prefix', () => {
    expect(matches('node.hostname==HOST-n1')).toBe(true);
    expect(matches('node.labels.zone==a', 'node.labels.zone!=b')).toBe(true);
    expect(matches('node.labels.zone==b')).toBe(false);
  });

  it('prefers the longest tapped prefix', () => {
    const h = hooks();
    h.constraints.key.for('node.labels.team').tap('test', () => 'infra');
    expect(nodeMatcher(['node.labels.team.lead==infra', 'node.labels.zone==a'], h)(node)).toBe(true);
  });

  it('treats a missing attribute as failing == and passing !=', () => {
    expect(matches('node.labels.disk==ssd')).toBe(false);
    expect(matches('node.labels.disk!=ssd')).toBe(true);
  });

  it('never matches an unknown key, nor a key whose hook has no tap', () => {
    const h = hooks();
    h.constraints.key.for('node.empty');
    expect(nodeMatcher(['node.gpu!=x'], h)(node)).toBe(false);
    expect(nodeMatcher(['node.empty!=x'], h)(node)).toBe(false);
  });

  it('matches key names case-insensitively', () => {
    expect(matches('Node.Labels.zone==A')).toBe(true);
  });
});

describe('planGlobal', () => {
  const svc = makeService({ global: true });
  const plan = (nodes: Node[], tasks = [] as ReturnType<typeof makeTask>[], service = svc) => planGlobal(service, tasks, nodes, keys, T0);

  it('creates one task per eligible node, with the node set and no slot', () => {
    const changes = plan([makeNode('n1'), makeNode('n2', { state: 'unknown' })]);
    expect(summary(changes)).toEqual(['create n1', 'create n2']);
    expect(created(changes).map((t) => [t.nodeId, t.slot, t.desiredState, t.status.state])).toEqual([
      ['n1', undefined, 'running', 'pending'],
      ['n2', undefined, 'running', 'pending'],
    ]);
  });

  it('skips nodes that are down, disconnected, paused or drained', () => {
    const nodes = [
      makeNode('down', { state: 'down' }),
      makeNode('gone', { state: 'disconnected' }),
      makeNode('paused', { availability: 'pause' }),
      makeNode('drained', { availability: 'drain' }),
    ];
    expect(plan(nodes)).toEqual([]);
  });

  it('honours placement constraints', () => {
    const service = makeService({ global: true, constraints: ['node.labels.zone==a'] });
    const changes = plan([makeNode('n1', { labels: { zone: 'a' } }), makeNode('n2', { labels: { zone: 'b' } }), makeNode('n3')], [], service);
    expect(summary(changes)).toEqual(['create n1']);
  });

  it('does nothing for nodes that have their task, even one that ended and was not restarted', () => {
    const tasks = [makeTask(svc, 'a', { nodeId: 'n1' }), makeTask(svc, 'b', { nodeId: 'n2', state: 'failed' })];
    expect(plan([makeNode('n1'), makeNode('n2')], tasks)).toEqual([]);
  });

  it('shuts down tasks on nodes drained, removed, or whose constraints stopped holding', () => {
    const service = makeService({ global: true, constraints: ['node.labels.zone==a'] });
    const nodes = [makeNode('drained', { availability: 'drain', labels: { zone: 'a' } }), makeNode('moved', { labels: { zone: 'b' } }), makeNode('ok', { labels: { zone: 'a' } })];
    const tasks = ['drained', 'moved', 'removed', 'ok'].map((n) => makeTask(service, `t-${n}`, { nodeId: n }));
    expect(summary(plan(nodes, tasks, service))).toEqual(['t-drained→shutdown', 't-moved→shutdown', 't-removed→shutdown']);
  });

  it('keeps the tasks of paused, down and disconnected nodes', () => {
    const nodes = [makeNode('p', { availability: 'pause' }), makeNode('d', { state: 'down' }), makeNode('x', { state: 'disconnected' })];
    expect(plan(nodes, nodes.map((n) => makeTask(svc, `t-${n.id}`, { nodeId: n.id })))).toEqual([]);
  });

  it('keeps one task per node: the one alive and furthest along', () => {
    const tasks = [
      makeTask(svc, 'ended', { nodeId: 'n1', state: 'failed' }),
      makeTask(svc, 'starting', { nodeId: 'n1', state: 'starting' }),
      makeTask(svc, 'running', { nodeId: 'n1', state: 'running' }),
    ];
    expect(summary(plan([makeNode('n1')], tasks))).toEqual(['starting→shutdown', 'ended→shutdown']);
  });

  it('keeps a rolling update\'s new task beside the old one it replaces, one of each', () => {
    const v2 = { ...svc, specVersion: 2, spec: { ...svc.spec, task: { ...svc.spec.task, container: { ...svc.spec.task.container, image: 'busybox:2' } } } };
    const tasks = [makeTask(svc, 'old', { nodeId: 'n1' }), makeTask(v2, 'new', { nodeId: 'n1', state: 'starting' }), makeTask(v2, 'twin', { nodeId: 'n1', state: 'pending' })];
    expect(summary(plan([makeNode('n1')], tasks, v2))).toEqual(['twin→shutdown']);
  });

  it('ignores old tasks and shuts down tasks with a slot', () => {
    const tasks = [makeTask(svc, 'old', { nodeId: 'n1', desired: 'shutdown', state: 'shutdown' }), makeTask(svc, 'slotted', { slot: 1, nodeId: 'n1' })];
    expect(summary(plan([makeNode('n1')], tasks))).toEqual(['slotted→shutdown', 'create n1']);
  });
});
