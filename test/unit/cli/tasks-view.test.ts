import { ellipsis, orderTasks, taskRows } from '../../../cli/views/tasks';
import { nodeRow } from '../../../cli/views/nodes';
import { serviceRow } from '../../../cli/views/services';
import { taskProblem } from '../../../cli/views/task-status';
import { ago, makeNode, makeService, makeTask, NOW } from './fixtures';

describe('orderTasks', () => {
  it('orders by service and slot, newest first within a slot, marking older tasks as history', () => {
    const tasks = [
      makeTask({ id: 'w2-old', slot: 2, createdAt: ago(100), state: 'failed', desired: 'shutdown' }),
      makeTask({ id: 'w10', slot: 10, createdAt: ago(50) }),
      makeTask({ id: 'w1', slot: 1, createdAt: ago(60) }),
      makeTask({ id: 'w2-new', slot: 2, createdAt: ago(10) }),
      makeTask({ id: 'a1', service: 'api', slot: 1 }),
      makeTask({ id: 'w2-mid', slot: 2, createdAt: ago(50), state: 'failed', desired: 'shutdown' }),
    ];
    expect(orderTasks(tasks).map(({ task, history }) => `${task.id}${history ? ' (history)' : ''}`)).toEqual([
      'a1',
      'w1',
      'w2-new',
      'w2-mid (history)',
      'w2-old (history)',
      'w10',
    ]);
  });

  it('groups global tasks by node', () => {
    const tasks = [makeTask({ id: 'n2', nodeId: 'node2' }), makeTask({ id: 'n1-old', nodeId: 'node1', createdAt: ago(90) }), makeTask({ id: 'n1', nodeId: 'node1', createdAt: ago(9) })];
    expect(orderTasks(tasks).map(({ task, history }) => [task.id, history])).toEqual([
      ['n1', false],
      ['n1-old', true],
      ['n2', false],
    ]);
  });
});

describe('taskRows', () => {
  const list = (tasks: ReturnType<typeof makeTask>[]) => ({ tasks, services: {}, nodes: { n1: 'host-1' } });

  it('shows docker-style columns, with \\_ before older tasks of a slot', () => {
    const rows = taskRows(
      list([
        makeTask({ id: 'aaaaaaaaaaaaaaaaaaaaaaaaa', slot: 1, nodeId: 'n1', createdAt: ago(10), timestamp: ago(5), image: 'busybox@sha256:abc123' }),
        makeTask({ id: 'bbbbbbbbbbbbbbbbbbbbbbbbb', slot: 1, nodeId: 'n1', createdAt: ago(90), timestamp: ago(75), state: 'failed', desired: 'shutdown', err: 'task: non-zero exit (1)' }),
      ]),
      { noTrunc: false, now: NOW },
    );
    expect(rows).toEqual([
      { ID: 'aaaaaaaaaaaa', Name: 'web.1', Image: 'busybox', Node: 'host-1', DesiredState: 'Running', CurrentState: 'Running 5 seconds ago', Error: '', Ports: '' },
      {
        ID: 'bbbbbbbbbbbb',
        Name: '\\_ web.1',
        Image: 'busybox',
        Node: 'host-1',
        DesiredState: 'Shutdown',
        CurrentState: 'Failed about a minute ago',
        Error: '"task: non-zero exit (1)"',
        Ports: '',
      },
    ]);
  });

  it('shows why a pending task has no node, quoted, cut unless --no-trunc', () => {
    const reason = 'no suitable node (insufficient resources on 3 nodes; constraint not met on 2 nodes)';
    const pending = makeTask({ slot: 1, state: 'pending', message: 'pending task scheduling', err: reason, timestamp: ago(3) });
    const [cut] = taskRows(list([pending]), { noTrunc: false, now: NOW });
    expect(cut.CurrentState).toBe('Pending 3 seconds ago');
    expect(cut.Node).toBe('');
    expect(cut.Error).toBe(`"${reason.slice(0, 59)}…"`);
    const [full] = taskRows(list([pending]), { noTrunc: true, now: NOW });
    expect(full.Error).toBe(`"${reason}"`);
    expect(full.ID).toBe(pending.id);
  });

  it('names global tasks by node and shows host-mode ports', () => {
    const t = makeTask({
      nodeId: 'n1',
      ports: [
        { protocol: 'tcp', targetPort: 80, publishedPort: 8080, publishMode: 'host' },
        { protocol: 'tcp', targetPort: 81, publishedPort: 30001, publishMode: 'ingress' },
      ],
    });
    const [row] = taskRows(list([t]), { noTrunc: false, now: NOW });
    expect(row.Name).toBe('web.n1');
    expect(row.Ports).toBe('*:8080->80/tcp');
  });
});

describe('taskProblem', () => {
  it('is the error, or the scheduler reason of a pending task, else nothing', () => {
    expect(taskProblem(makeTask({ state: 'rejected', err: 'image not found' }))).toBe('image not found');
    expect(taskProblem(makeTask({ state: 'pending', message: 'pending task scheduling', err: 'no suitable node (no nodes available)' }))).toBe('no suitable node (no nodes available)');
    expect(taskProblem(makeTask({ state: 'pending', message: 'pending task scheduling' }))).toBeUndefined();
    expect(taskProblem(makeTask({ state: 'running', message: 'started' }))).toBeUndefined();
  });
});

describe('ellipsis', () => {
  it('cuts long text with …', () => {
    expect(ellipsis('abcdef', 6)).toBe('abcdef');
    expect(ellipsis('abcdefg', 6)).toBe('abcde…');
  });
});

describe('serviceRow', () => {
  it('shows replicas as running/desired and routing-mesh ports', () => {
    const service = makeService('web', {
      replicas: 3,
      ports: [
        { protocol: 'tcp', targetPort: 80, publishedPort: 8080, publishMode: 'ingress' },
        { protocol: 'udp', targetPort: 53, publishedPort: 53, publishMode: 'host' },
      ],
    });
    expect(serviceRow({ service, running: 2, desired: 3 })).toEqual({
      ID: 'id-webxxxxxx',
      Name: 'web',
      Mode: 'replicated',
      Replicas: '2/3',
      Image: 'busybox',
      Ports: '*:8080->80/tcp',
    });
    expect(serviceRow({ service: makeService('g', { global: true }), running: 1, desired: 1 }).Mode).toBe('global');
  });
});

describe('nodeRow', () => {
  it('capitalizes states and shows a manager as consensus sees it', () => {
    const leader = { n1: { addr: 'a:1', leader: true, reachability: 'reachable' as const } };
    expect(nodeRow(makeNode('n1', { role: 'manager', availability: 'drain' }), 'n1', leader)).toEqual({
      ID: 'n1',
      Self: true,
      Hostname: 'host-n1',
      Status: 'Ready',
      Availability: 'Drain',
      ManagerStatus: 'Leader',
      EngineVersion: '20.10.24',
    });
    expect(nodeRow(makeNode('n2'), 'n1')).toEqual(expect.objectContaining({ Self: false, ManagerStatus: '' }));
    // A manager nobody vouches for (no leader answered) is Unknown, not silently Leader.
    expect(nodeRow(makeNode('n3', { role: 'manager' }), 'n1')).toEqual(expect.objectContaining({ ManagerStatus: 'Unknown' }));
  });
});
