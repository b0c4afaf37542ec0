import { incompleteWarning, LogLineFormatter, logPrefix, type LogLineFormat } from '../../../cli/format/log-lines';
import type { LogTaskContext } from '../../../core/logs/contract';

const WEB1: LogTaskContext = { taskId: 'abcdef1234567890abcdefghi', name: 'web.1', nodeId: 'n1', node: 'node-a' };
const WEB10: LogTaskContext = { taskId: 'zyxwvu9876543210zyxwvutsr', name: 'web.10', nodeId: 'n2', node: 'node-bb' };
const TS = '2026-11-24T10:00:00.123456789Z';
const DEFAULT: LogLineFormat = { taskIds: true, trunc: true, raw: false, timestamps: false };
const line = (taskId: string, text: string) => ({ taskId, stream: 'stdout' as const, timestamp: TS, text });

describe('logPrefix', () => {
  it('names the task, its short id and its node, as docker does', () => {
    expect(logPrefix(WEB1, DEFAULT)).toBe('web.1.abcdef123456@node-a');
    expect(logPrefix(WEB1, { taskIds: true, trunc: false })).toBe('web.1.abcdef1234567890abcdefghi@node-a');
    expect(logPrefix(WEB1, { taskIds: false, trunc: true })).toBe('web.1@node-a');
  });
});

describe('LogLineFormatter', () => {
  it('pads prefixes to the widest known in the run, then the separator and the text', () => {
    const f = new LogLineFormatter(DEFAULT);
    f.learn([WEB1, WEB10]);
    expect(f.line(line(WEB1.taskId, 'hello'))).toBe('web.1.abcdef123456@node-a      | hello\n');
    expect(f.line(line(WEB10.taskId, 'world'))).toBe('web.10.zyxwvu987654@node-bb    | world\n');
  });

  it('widens as tasks join the run', () => {
    const f = new LogLineFormatter({ ...DEFAULT, taskIds: false });
    f.learn([WEB1]);
    expect(f.line(line(WEB1.taskId, 'a'))).toBe('web.1@node-a    | a\n');
    f.learn([WEB10]);
    expect(f.line(line(WEB1.taskId, 'b'))).toBe('web.1@node-a      | b\n');
  });

  it('puts the timestamp after the prefix, and prints no prefix with --raw', () => {
    const f = new LogLineFormatter({ ...DEFAULT, timestamps: true });
    f.learn([WEB1]);
    expect(f.line(line(WEB1.taskId, 'x'))).toBe(`web.1.abcdef123456@node-a    | ${TS} x\n`);
    const raw = new LogLineFormatter({ ...DEFAULT, raw: true });
    raw.learn([WEB1]);
    expect(raw.line(line(WEB1.taskId, 'x'))).toBe('x\n');
    expect(new LogLineFormatter({ ...DEFAULT, raw: true, timestamps: true }).line(line(WEB1.taskId, 'x'))).toBe(`${TS} x\n`);
  });

  it('names a task it was not told of by its id', () => {
    expect(new LogLineFormatter(DEFAULT).line(line('0123456789abcdefg', 'x'))).toBe('0123456789ab    | x\n');
  });
});

describe('incompleteWarning', () => {
  it('names the node and why, as docker words it', () => {
    expect(incompleteWarning({ nodeId: 'n2', node: 'node-bb', reason: 'the node is not connected' })).toBe(
      'error from daemon in stream: incomplete log stream: logs of node node-bb are missing: the node is not connected\n',
    );
  });
});
