import { ManagerDirectory } from '../../../core/agent/manager-directory';

describe('ManagerDirectory', () => {
  it('starts at the join address, follows redirects, moves on from failures and learns the managers', () => {
    const d = new ManagerDirectory(['a:1']);
    expect(d.current).toBe('a:1');
    d.redirect('b:1');
    expect(d.current).toBe('b:1');
    expect(d.all).toEqual(['a:1', 'b:1']);
    d.failed();
    expect(d.current).toBe('a:1');
    d.learn(['c:1', 'a:1', 'b:1']);
    expect(d.current).toBe('a:1');
    d.learn(['c:1', 'b:1']);
    expect(d.current).toBe('c:1');
    d.learn([]);
    expect(d.all).toEqual(['c:1', 'b:1']);
    expect(() => new ManagerDirectory([])).toThrow('at least one manager');
  });
});
