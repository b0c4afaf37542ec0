import { humanDuration, timeAgo } from '../../../cli/format/time';

const S = 1000;
const M = 60 * S;
const H = 60 * M;
const D = 24 * H;

describe('humanDuration (as go-units HumanDuration)', () => {
  it.each([
    [0, 'Less than a second'],
    [999, 'Less than a second'],
    [S, '1 second'],
    [5 * S, '5 seconds'],
    [59 * S, '59 seconds'],
    [60 * S, 'About a minute'],
    [119 * S, 'About a minute'],
    [2 * M, '2 minutes'],
    [59 * M, '59 minutes'],
    [60 * M, 'About an hour'],
    [89 * M, 'About an hour'],
    [90 * M, '2 hours'],
    [47 * H, '47 hours'],
    [48 * H, '2 days'],
    [13 * D, '13 days'],
    [14 * D, '2 weeks'],
    [60 * D, '2 months'],
    [2 * 365 * D, '2 years'],
  ])('%d ms → %s', (ms, text) => expect(humanDuration(ms)).toBe(text));
});

describe('timeAgo', () => {
  const now = new Date('2024-05-01T12:00:00Z');

  it('says how long ago an ISO time was', () => {
    expect(timeAgo('2024-05-01T11:59:55Z', now)).toBe('5 seconds ago');
    expect(timeAgo('2024-05-01T11:58:30Z', now)).toBe('About a minute ago');
    expect(timeAgo('2024-05-01T10:00:00Z', now)).toBe('2 hours ago');
  });

  it('treats a time in the future (clock skew) as now', () => {
    expect(timeAgo('2024-05-01T12:00:05Z', now)).toBe('Less than a second ago');
  });
});
