import { SubscriptionState } from '../../../core/logs/subscription-state';

describe('SubscriptionState', () => {
  it('tracks the tasks asked of each node and completes without follow once every node is done', () => {
    const s = new SubscriptionState('s1', { follow: false });
    expect(s.add('n1', ['a', 'b'])).toEqual(['a', 'b']);
    expect(s.add('n1', ['b', 'c', 'c'])).toEqual(['c']);
    s.add('n2', ['d']);
    expect(s.asked('n1', 'c')).toBe(true);
    expect(s.asked('n2', 'a')).toBe(false);
    expect(s.openNodes()).toEqual(['n1', 'n2']);
    s.settle('n1');
    expect(s.isOpen('n1')).toBe(false);
    expect(s.involves('n1')).toBe(true);
    expect(s.complete).toBe(false);
    s.settle('n2');
    expect(s.complete).toBe(true);
  });

  it('never completes with follow', () => {
    const s = new SubscriptionState('s1', { follow: true });
    s.add('n1', ['a']);
    s.settle('n1');
    expect(s.complete).toBe(false);
  });
});
