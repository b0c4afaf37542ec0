import { InvalidPayload } from '../../../core/api/grpc-json';
import { parseListenLogSubscriptionsRequest, parseLogSubscription, parsePublishLogsRequest } from '../../../core/dispatcher/validate';
import { MAX_LOG_BATCH, MAX_LOG_LINE_CHARS } from '../../../core/logs/contract';

const line = { taskId: 't1', stream: 'stdout', timestamp: '2026-11-24T10:00:00.123456789Z', text: 'hello' };

describe('PublishLogs payloads', () => {
  it('reads a valid batch', () => {
    expect(parsePublishLogsRequest({ subscriptionId: 's', messages: [line], close: true, error: 'task t2: gone' })).toEqual({
      subscriptionId: 's',
      messages: [line],
      close: true,
      error: 'task t2: gone',
    });
    expect(parsePublishLogsRequest({ subscriptionId: 's', messages: [] })).toEqual({ subscriptionId: 's', messages: [] });
  });

  it.each([
    [{ messages: [] }, 'subscriptionId', 'expected a string'],
    [{ subscriptionId: '', messages: [] }, 'subscriptionId', 'must not be empty'],
    [{ subscriptionId: 's' }, 'messages', 'expected an array'],
    [{ subscriptionId: 's', messages: [], nodeId: 'n2' }, 'nodeId', 'unknown field'],
    [{ subscriptionId: 's', messages: [], close: 'yes' }, 'close', 'expected true or false'],
    [{ subscriptionId: 's', messages: [{ ...line, stream: 'stdin' }] }, 'messages[0].stream', 'expected one of stdout, stderr'],
    [{ subscriptionId: 's', messages: [{ ...line, timestamp: 'yesterday' }] }, 'messages[0].timestamp', 'is not an RFC 3339 time'],
    [{ subscriptionId: 's', messages: [{ ...line, taskId: 7 }] }, 'messages[0].taskId', 'expected a string'],
    [{ subscriptionId: 's', messages: [{ ...line, extra: 1 }] }, 'messages[0].extra', 'unknown field'],
    [{ subscriptionId: 's', messages: [{ ...line, text: 'x'.repeat(MAX_LOG_LINE_CHARS + 1) }] }, 'messages[0].text', 'longer than'],
    [{ subscriptionId: 's', messages: Array(MAX_LOG_BATCH + 1).fill(line) }, 'messages', 'more than'],
  ])('refuses %#, naming %s', (req, field, message) => {
    expect(() => parsePublishLogsRequest(req)).toThrow(expect.objectContaining({ code: 'invalid', field, message: expect.stringContaining(message) }));
  });

  it('refuses a payload that is not JSON', () => {
    expect(() => parsePublishLogsRequest(new InvalidPayload('bad'))).toThrow(expect.objectContaining({ field: 'request' }));
  });

  it('takes only an empty ListenLogSubscriptions request', () => {
    expect(parseListenLogSubscriptionsRequest({})).toEqual({});
    expect(() => parseListenLogSubscriptionsRequest({ nodeId: 'n2' })).toThrow(expect.objectContaining({ field: 'nodeId' }));
  });
});

describe('log subscriptions as a node reads them', () => {
  it('reads a subscription and a close', () => {
    expect(parseLogSubscription({ id: 's', taskIds: ['a'], options: { follow: true, tail: 0, sinceMs: 5 } })).toEqual({ id: 's', taskIds: ['a'], options: { follow: true, tail: 0, sinceMs: 5 } });
    expect(parseLogSubscription({ id: 's', taskIds: [], options: { follow: false }, close: true })).toEqual({ id: 's', taskIds: [], options: { follow: false }, close: true });
  });

  it.each([
    [{ taskIds: [], options: { follow: true } }, 'subscription.id'],
    [{ id: 's', taskIds: [''], options: { follow: true } }, 'subscription.taskIds[0]'],
    [{ id: 's', taskIds: [], options: { tail: 1 } }, 'subscription.options.follow'],
    [{ id: 's', taskIds: [], options: { follow: true, tail: -1 } }, 'subscription.options.tail'],
    [{ id: 's', taskIds: [], options: { follow: true, until: 1 } }, 'subscription.options.until'],
  ])('refuses %#, naming %s', (v, field) => {
    expect(() => parseLogSubscription(v)).toThrow(expect.objectContaining({ code: 'invalid', field }));
  });
});
