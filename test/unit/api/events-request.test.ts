import { parseEventsRequest } from '../../../core/api/events-request';

describe('parseEventsRequest', () => {
  it('reads the window as epoch milliseconds and the filters', () => {
    expect(parseEventsRequest({ since: '2026-11-24T10:00:00Z', until: '2026-11-24T11:00:00.5+01:00', filters: { type: ['task'], service: ['web'] } })).toEqual({
      since: Date.UTC(2026, 10, 24, 10),
      until: Date.UTC(2026, 10, 24, 10, 0, 0, 500),
      filters: { type: ['task'], service: ['web'] },
    });
    expect(parseEventsRequest({})).toEqual({ since: undefined, until: undefined, filters: {} });
    expect(parseEventsRequest(undefined)).toEqual({ since: undefined, until: undefined, filters: {} });
  });

  it.each([
    [{ since: 'yesterday' }, 'invalid since: "yesterday" is not an ISO 8601 time such as 2026-11-24T10:00:00Z'],
    [{ until: '2026-11-24' }, 'invalid until: "2026-11-24" is not an ISO 8601 time such as 2026-11-24T10:00:00Z'],
    [{ until: '2026-13-24T10:00:00Z' }, 'invalid until: "2026-13-24T10:00:00Z" is not an ISO 8601 time'],
    [{ since: 5 }, 'invalid since: expected a string'],
    [{ since: '2026-11-24T10:00:00Z', until: '2026-11-24T09:00:00Z' }, 'invalid until: 2026-11-24T09:00:00Z is before since (2026-11-24T10:00:00Z)'],
    [{ filters: { colour: ['red'] } }, 'invalid filters.colour: unknown filter "colour" (expected one of type, event, service, node, network)'],
    [{ filters: { type: ['container'] } }, 'invalid filters.type[0]: expected one of service, node, task, network, got "container"'],
    [{ filters: { event: ['die'] } }, 'invalid filters.event[0]: expected one of create, update, remove, got "die"'],
    [{ filters: { service: 'web' } }, 'invalid filters.service: expected an array'],
    [{ filters: { node: [''] } }, 'invalid filters.node[0]: must not be empty'],
    [{ sinse: '2026-11-24T10:00:00Z' }, 'invalid sinse: unknown field (expected one of since, until, filters)'],
  ])('refuses %j, naming the field', (req, message) => {
    expect(() => parseEventsRequest(req)).toThrow(message);
  });
});
