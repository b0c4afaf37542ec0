import { Balancer, type Backend, type BackendSlot } from '../../../plugins/net-ingress/balancer';

const A: Backend = { host: '10.0.0.1', port: 80 };
const B: Backend = { host: '10.0.0.2', port: 80 };
const C: Backend = { host: '10.0.0.3', port: 80 };

const hostOf = (slot: BackendSlot | undefined): string | undefined => slot?.backend.host;

/** Acquires `n` connections and returns the hosts picked. */
const pickMany = (balancer: Balancer, n: number): (string | undefined)[] => Array.from({ length: n }, () => hostOf(balancer.acquire()));

describe('Balancer', () => {
  describe('least-connections (default)', () => {
    it('picks the backend with the fewest active connections', () => {
      const b = new Balancer();
      b.setBackends([A, B, C]);
      const first = b.acquire()!;
      const second = b.acquire()!;
      b.acquire();
      b.release(second);
      expect(hostOf(b.acquire())).toBe(second.backend.host);
      b.release(first);
      expect(hostOf(b.acquire())).toBe(first.backend.host);
    });

    it('breaks ties round-robin', () => {
      const b = new Balancer();
      b.setBackends([A, B, C]);
      const picked: (string | undefined)[] = [];
      for (let i = 0; i < 6; i++) {
        const slot = b.acquire()!;
        picked.push(hostOf(slot));
        b.release(slot);
      }
      expect(picked).toEqual([A.host, B.host, C.host, A.host, B.host, C.host]);
    });

    it('spreads concurrent connections evenly', () => {
      const b = new Balancer();
      b.setBackends([A, B, C]);
      const picked = pickMany(b, 9);
      for (const host of [A.host, B.host, C.host]) expect(picked.filter((h) => h === host)).toHaveLength(3);
    });
  });

  describe('round-robin', () => {
    it('takes turns whatever the load', () => {
      const b = new Balancer({ strategy: 'round-robin' });
      b.setBackends([A, B, C]);
      const busy = b.acquire()!; // A stays busy
      expect(hostOf(busy)).toBe(A.host);
      expect(pickMany(b, 5)).toEqual([B.host, C.host, A.host, B.host, C.host]);
    });
  });

  describe('replacing backends', () => {
    it('keeps the connection counts of backends that stay', () => {
      const b = new Balancer();
      b.setBackends([A, B]);
      const onA = b.acquire()!;
      b.acquire(); // on B
      b.acquire(); // on A
      b.setBackends([C, A, B]);
      expect(onA.active).toBe(2);
      expect(hostOf(b.acquire())).toBe(C.host);
      expect(hostOf(b.acquire())).toBe(B.host);
    });

    it('never picks a backend that left, and its connections can still be released', () => {
      const b = new Balancer();
      b.setBackends([A, B]);
      const onA = b.acquire()!;
      b.setBackends([B]);
      expect(pickMany(b, 3)).toEqual([B.host, B.host, B.host]);
      b.release(onA);
      expect(onA.active).toBe(0);
    });

    it('gives a backend that comes back a fresh count', () => {
      const b = new Balancer();
      b.setBackends([A]);
      const old = b.acquire()!;
      b.setBackends([]);
      b.setBackends([A]);
      const fresh = b.acquire()!;
      expect(fresh).not.toBe(old);
      expect(fresh.active).toBe(1);
    });

    it('ignores duplicates', () => {
      const b = new Balancer();
      b.setBackends([A, { ...A }, B]);
      expect(pickMany(b, 4)).toEqual([A.host, B.host, A.host, B.host]);
    });
  });

  it('returns undefined when there is no backend or every one is excluded', () => {
    const b = new Balancer();
    expect(b.acquire()).toBeUndefined();
    b.setBackends([A, B]);
    const first = b.acquire()!;
    b.release(first);
    const second = b.acquire(new Set([first]))!;
    expect(second).not.toBe(first);
    expect(b.acquire(new Set([first, second]))).toBeUndefined();
  });

  it('passes over a backend that failed until its down time is over', () => {
    let now = 1000;
    const b = new Balancer({ downForMs: 500, now: () => now });
    b.setBackends([A, B]);
    const onA = b.acquire()!;
    b.release(onA);
    b.markDown(onA);
    expect(pickMany(b, 3)).toEqual([B.host, B.host, B.host]);
    now += 501;
    expect(hostOf(b.acquire())).toBe(A.host);
  });

  it('still picks a backend when every one is down, and takes one back at once when it is marked up', () => {
    const b = new Balancer();
    b.setBackends([A, B]);
    for (let i = 0; i < 2; i++) {
      const slot = b.acquire()!;
      b.release(slot);
      b.markDown(slot);
    }
    const anyway = b.acquire()!;
    expect(anyway).toBeDefined();
    b.release(anyway);
    b.markUp(anyway);
    expect(pickMany(b, 2)).toEqual([hostOf(anyway), hostOf(anyway)]);
  });
});
