import type { LogLine } from '../../../core/runtime/contract';
import { MAX_LOG_LINE_CHARS } from '../../../core/logs/contract';
import { dockerSince, LogFrames } from '../../../plugins/runtime-docker/log-frames';

const TS = '2026-11-24T10:00:00.123456789Z';
const TS2 = '2026-11-24T10:00:01.5Z';

/** One frame of a multiplexed body: stream 1 (stdout) or 2 (stderr). */
function frame(stream: 1 | 2, payload: string | Buffer): Buffer {
  const body = typeof payload === 'string' ? Buffer.from(payload) : payload;
  const header = Buffer.alloc(8);
  header[0] = stream;
  header.writeUInt32BE(body.length, 4);
  return Buffer.concat([header, body]);
}

function reader(now = '2000-01-01T00:00:00.000Z') {
  const lines: LogLine[] = [];
  const frames = new LogFrames((l) => lines.push(l), () => now);
  return { lines, frames };
}

describe('LogFrames (docker logs, multiplexed, with timestamps)', () => {
  it('reads each entry as a line of its stream, with its timestamp', () => {
    const { lines, frames } = reader();
    frames.push(Buffer.concat([frame(1, `${TS} hello\n`), frame(2, `${TS2} oops\n`), frame(1, `${TS2} \n`)]));
    frames.end();
    expect(lines).toEqual([
      { stream: 'stdout', timestamp: TS, text: 'hello' },
      { stream: 'stderr', timestamp: TS2, text: 'oops' },
      { stream: 'stdout', timestamp: TS2, text: '' },
    ]);
  });

  it('reassembles frames cut anywhere, headers included, one byte at a time', () => {
    const body = Buffer.concat([frame(1, `${TS} first line\n`), frame(2, `${TS2} ünïcödé ✓\n`), frame(1, `${TS} last\n`)]);
    const { lines, frames } = reader();
    for (let i = 0; i < body.length; i++) frames.push(body.subarray(i, i + 1));
    frames.end();
    expect(lines.map((l) => `${l.stream} ${l.text}`)).toEqual(['stdout first line', 'stderr ünïcödé ✓', 'stdout last']);
  });

  it('joins an entry cut without a line break (docker cuts at 16 KiB) with the next of its stream, keeping the first timestamp', () => {
    const { lines, frames } = reader();
    frames.push(Buffer.concat([frame(1, `${TS} part one, `), frame(2, `${TS2} between\n`), frame(1, `${TS2} part two\n`)]));
    expect(lines).toEqual([
      { stream: 'stderr', timestamp: TS2, text: 'between' },
      { stream: 'stdout', timestamp: TS, text: 'part one, part two' },
    ]);
  });

  it('delivers a last line without a line break at the end', () => {
    const { lines, frames } = reader();
    frames.push(frame(1, `${TS} no newline`));
    expect(lines).toEqual([]);
    frames.end();
    expect(lines).toEqual([{ stream: 'stdout', timestamp: TS, text: 'no newline' }]);
  });

  it('splits an entry holding several lines, each with the entry timestamp', () => {
    const { lines, frames } = reader();
    frames.push(frame(1, `${TS} a\nb\n`));
    expect(lines.map((l) => [l.timestamp, l.text])).toEqual([
      [TS, 'a'],
      [TS, 'b'],
    ]);
  });

  it('takes an entry without a timestamp whole, stamped with the time it was read', () => {
    const { lines, frames } = reader('2026-01-01T00:00:00.000Z');
    frames.push(frame(1, 'plain text here\n'));
    expect(lines).toEqual([{ stream: 'stdout', timestamp: '2026-01-01T00:00:00.000Z', text: 'plain text here' }]);
  });

  it('cuts a line that never ends at MAX_LOG_LINE_CHARS instead of holding it without bound', () => {
    const { lines, frames } = reader();
    const chunk = 'x'.repeat(16 * 1024);
    for (let i = 0; i < 5; i++) frames.push(frame(1, `${TS} ${chunk}`));
    expect(lines).toHaveLength(1);
    expect(lines[0].text).toHaveLength(MAX_LOG_LINE_CHARS);
    frames.end();
    expect(lines[1].text).toHaveLength(5 * chunk.length - MAX_LOG_LINE_CHARS);
  });
});

describe('dockerSince', () => {
  it.each([
    [1_700_000_000_250, '1700000000.250'],
    [1_700_000_000_005, '1700000000.005'],
    [0, '0.000'],
  ])('%d ms → %s', (ms, since) => {
    expect(dockerSince(ms)).toBe(since);
  });
});
