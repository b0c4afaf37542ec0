import { Command } from 'commander';
import { buildEventsRequest, registerEventsCommand, type EventSource } from '../../../cli/commands/events';
import { failureOutcome } from '../../../cli/errors';
import { renderEvent } from '../../../cli/format/events';
import { parseTimeFlag } from '../../../cli/time';
import type { EventsMessage, EventsRequest } from '../../../core/api/contract';
import type { ClusterEvent } from '../../../core/events/cluster-events';
import { OrchError } from '../../../core/errors';
import { fakeEnv, NOW } from './fixtures';

const EVENT: ClusterEvent = { time: '2026-11-24T10:00:00.123Z', type: 'task', action: 'update', id: 'x9k2', name: 'web.1', attributes: { 'state.old': 'starting', 'state.new': 'running', service: 'web' } };

describe('parseTimeFlag (as docker events --since/--until)', () => {
  it.each([
    ['10m', new Date(NOW.getTime() - 10 * 60_000).toISOString()],
    ['1h30m', new Date(NOW.getTime() - 90 * 60_000).toISOString()],
    ['1.5s', new Date(NOW.getTime() - 1500).toISOString()],
    ['0', NOW.toISOString()],
    ['-5m', new Date(NOW.getTime() + 5 * 60_000).toISOString()],
    ['2026-11-24T10:00:00Z', '2026-11-24T10:00:00.000Z'],
    ['2026-11-24T10:00:00.123456789Z', '2026-11-24T10:00:00.123Z'],
    ['2026-11-24T10:00:00+01:00', '2026-11-24T09:00:00.000Z'],
    ['2026-11-24T10:00-0230', '2026-11-24T12:30:00.000Z'],
    ['1700000000', '2023-11-14T22:13:20.000Z'],
    ['1700000000.25', '2023-11-14T22:13:20.250Z'],
  ])('%s', (value, iso) => {
    expect(parseTimeFlag(value, '--since', NOW)).toBe(iso);
  });

  it('reads a time without a zone, or a bare date, as local time', () => {
    expect(parseTimeFlag('2026-11-24T10:00:00', '--since', NOW)).toBe(new Date(2026, 10, 24, 10).toISOString());
    expect(parseTimeFlag('2026-11-24', '--since', NOW)).toBe(new Date(2026, 10, 24).toISOString());
  });

  it.each(['yesterday', '-10', '10x', '2026-02-30', '2026-11-24T25:00:00Z', '2026-11-24 10:00', ''])('refuses %j, naming the flag', (value) => {
    expect(() => parseTimeFlag(value, '--until', NOW)).toThrow(`invalid --until: "${value}" is not a time: expected an RFC 3339 time (2026-11-24T10:00:00Z), Unix seconds, or a duration before now such as 10m`);
  });
});

describe('buildEventsRequest', () => {
  it('resolves the times and groups the filters', () => {
    expect(buildEventsRequest({ since: '1h', until: '2024-05-01T12:30:00Z', filter: ['type=task', 'type=service', 'service=web', 'event=create'] }, NOW)).toEqual({
      since: '2024-05-01T11:00:00.000Z',
      until: '2024-05-01T12:30:00.000Z',
      filters: { type: ['task', 'service'], service: ['web'], event: ['create'] },
    });
    expect(buildEventsRequest({}, NOW)).toEqual({});
  });

  it.each([
    [{ filter: ['colour=red'] }, 'invalid --filter: unknown key "colour": expected one of type, event, service, node, network'],
    [{ filter: ['type=container'] }, 'invalid --filter: type must be one of service, node, task, network, got "container"'],
    [{ filter: ['event=die'] }, 'invalid --filter: event must be one of create, update, remove, got "die"'],
    [{ since: 'soon' }, 'invalid --since: "soon" is not a time'],
    [{ since: '5m', until: '10m' }, 'invalid --until: 2024-05-01T11:50:00.000Z is before --since (2024-05-01T11:55:00.000Z)'],
  ])('refuses %j', (flags, message) => {
    expect(() => buildEventsRequest(flags, NOW)).toThrow(message);
  });
});

describe('renderEvent', () => {
  it('prints a docker-like line: UTC time with nanoseconds, type, action, id, then sorted attributes with the name', () => {
    expect(renderEvent(EVENT, 'table')).toBe('2026-11-24T10:00:00.123000000Z task update x9k2 (name=web.1, service=web, state.new=running, state.old=starting)\n');
  });

  it('prints one JSON object per line with --format json', () => {
    expect(JSON.parse(renderEvent(EVENT, 'json'))).toEqual(EVENT);
    expect(renderEvent(EVENT, 'json').split('\n')).toHaveLength(2);
  });
});

/** An event source double: delivers `events`, then ends as `end` says (never, when undefined). */
function fakeSource(events: EventsMessage[], end?: OrchError | 'ok') {
  const opened: { socket: string; req?: EventsRequest; closed: boolean } = { socket: '', closed: false };
  const open = async (socket: string): Promise<EventSource> => {
    opened.socket = socket;
    return {
      events: (req, onEvent, onEnd) => {
        opened.req = req;
        for (const e of events) onEvent(e);
        if (end !== undefined) onEnd(end === 'ok' ? undefined : end);
        return () => {};
      },
      close: () => void (opened.closed = true),
    };
  };
  return { open, opened };
}

async function orchEvents(argv: string[], source: ReturnType<typeof fakeSource>) {
  const f = fakeEnv();
  const program = new Command('orch').option('--data-dir <dir>').exitOverride().configureOutput({ writeOut: () => {}, writeErr: () => {} });
  registerEventsCommand(program, f.env, source.open);
  let code = 0;
  try {
    await program.parseAsync(['events', ...argv], { from: 'user' });
  } catch (err) {
    code = failureOutcome(err).code;
  }
  return { code, out: f.stdout() };
}

describe('orch events', () => {
  it('prints each event and exits 0 when the daemon ends the stream (--until passed)', async () => {
    const source = fakeSource([EVENT, { ...EVENT, id: 'y1' }], 'ok');
    const r = await orchEvents(['--since', '10m', '--until', '0', '--format', 'json', '--filter', 'type=task'], source);
    expect(r.code).toBe(0);
    expect(r.out.trim().split('\n').map((l) => JSON.parse(l).id)).toEqual(['x9k2', 'y1']);
    expect(source.opened).toEqual({
      socket: '/data/orch.sock',
      req: { since: '2024-05-01T11:50:00.000Z', until: NOW.toISOString(), filters: { type: ['task'] } },
      closed: true,
    });
  });

  it('fails with the daemon\'s error (exit 1)', async () => {
    const source = fakeSource([], new OrchError('unavailable', 'this node is not a swarm manager'));
    expect((await orchEvents([], source)).code).toBe(1);
    expect(source.opened.closed).toBe(true);
  });

  it('refuses bad flags before connecting (exit 2)', async () => {
    const source = fakeSource([], 'ok');
    expect((await orchEvents(['--format', 'yaml'], source)).code).toBe(2);
    expect((await orchEvents(['--until', 'later'], source)).code).toBe(2);
    expect(source.opened.socket).toBe('');
  });
});
