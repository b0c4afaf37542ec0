import { execFileSync } from 'node:child_process';

/** Runs `ip ARGS…` (iproute2), failing loudly. */
function ip(...args: string[]): void {
  execFileSync('ip', args, { stdio: ['ignore', 'ignore', 'pipe'] });
}

/** One host of a TestNetwork: a network namespace with one address. */
export interface TestHost {
  /** Name of its network namespace (run commands with `ip netns exec`). */
  readonly ns: string;
  readonly addr: string;
  /** Its cable's end on the hub. */
  readonly port: string;
}

/**
 * Hosts in network namespaces on one machine, all cabled to a bridge in a hub namespace of their own
 * (nothing of the machine's own network changes). Unplugging a host's cable cuts it off from every
 * other host, both ways: a real partition, for processes that do their own networking. Needs root.
 */
export class TestNetwork {
  private readonly id = Math.random().toString(36).slice(2, 7);
  private readonly hub = `orch-hub-${this.id}`;
  readonly hosts: TestHost[] = [];

  constructor(private readonly subnet = '10.213.0') {
    ip('netns', 'add', this.hub);
    ip('-n', this.hub, 'link', 'add', 'br0', 'type', 'bridge');
    ip('-n', this.hub, 'link', 'set', 'br0', 'up');
  }

  /** Adds a host at `<subnet>.<10 + n>` (n counts from 1). */
  addHost(): TestHost {
    const n = this.hosts.length + 1;
    const host: TestHost = { ns: `orch-h${n}-${this.id}`, addr: `${this.subnet}.${10 + n}`, port: `p${n}${this.id}` };
    const inside = `e${n}${this.id}`;
    ip('netns', 'add', host.ns);
    ip('link', 'add', host.port, 'type', 'veth', 'peer', 'name', inside);
    ip('link', 'set', host.port, 'netns', this.hub);
    ip('link', 'set', inside, 'netns', host.ns);
    ip('-n', this.hub, 'link', 'set', host.port, 'master', 'br0', 'up');
    ip('-n', host.ns, 'addr', 'add', `${host.addr}/24`, 'dev', inside);
    ip('-n', host.ns, 'link', 'set', inside, 'up');
    ip('-n', host.ns, 'link', 'set', 'lo', 'up');
    this.hosts.push(host);
    return host;
  }

  /** Unplugs `host`: nothing reaches it, nothing leaves it. */
  isolate(host: TestHost): void {
    ip('-n', this.hub, 'link', 'set', host.port, 'down');
  }

  /** Plugs `host` back in. */
  heal(host: TestHost): void {
    ip('-n', this.hub, 'link', 'set', host.port, 'up');
  }

  /** Removes every namespace (processes still inside keep running, cut off). */
  destroy(): void {
    for (const ns of [...this.hosts.map((h) => h.ns), this.hub]) {
      try {
        ip('netns', 'del', ns);
      } catch {
        /* already gone */
      }
    }
  }
}
