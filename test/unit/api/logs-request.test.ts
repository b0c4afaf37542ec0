import { parseServiceLogsRequest } from '../../../core/api/logs-request';

describe('parseServiceLogsRequest', () => {
  it('reads a request, follow off unless asked', () => {
    expect(parseServiceLogsRequest({ ref: 'web' })).toEqual({ ref: 'web', follow: false });
    expect(parseServiceLogsRequest({ ref: 'web', follow: true, tail: 0, sinceMs: 1700000000000 })).toEqual({ ref: 'web', follow: true, tail: 0, sinceMs: 1700000000000 });
  });

  it.each([
    [{}, 'ref'],
    [{ ref: '' }, 'ref'],
    [{ ref: 'web', follow: 1 }, 'follow'],
    [{ ref: 'web', tail: -1 }, 'tail'],
    [{ ref: 'web', tail: 1.5 }, 'tail'],
    [{ ref: 'web', sinceMs: 'yesterday' }, 'sinceMs'],
    [{ ref: 'web', lines: 3 }, 'lines'],
  ])('refuses %j, naming %s', (req, field) => {
    expect(() => parseServiceLogsRequest(req)).toThrow(expect.objectContaining({ code: 'invalid', field }));
  });
});
