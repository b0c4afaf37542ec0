/**
 * The managers a node may talk to, and which one it talks to now. Starts from the manager it joined
 * through; learns the others from its sessions; follows redirects to the leader; moves on to the next
 * known manager when the current one fails.
 */
export class ManagerDirectory {
  private known: string[];
  private index = 0;

  constructor(initial: readonly string[]) {
    if (initial.length === 0) throw new Error('a manager directory needs at least one manager address');
    this.known = [...new Set(initial)];
  }

  /** The manager to talk to now. */
  get current(): string {
    return this.known[this.index];
  }

  /** Every known manager. */
  get all(): readonly string[] {
    return this.known;
  }

  /** Talk to `addr` (the leader, as another manager said) from now on. */
  redirect(addr: string): void {
    if (!this.known.includes(addr)) this.known.push(addr);
    this.index = this.known.indexOf(addr);
  }

  /** The current manager failed: move on to the next known one. */
  failed(): void {
    this.index = (this.index + 1) % this.known.length;
  }

  /** The cluster's managers as of now; the current one is kept if it is still among them. */
  learn(addrs: readonly string[]): void {
    if (addrs.length === 0) return;
    const current = this.current;
    this.known = [...new Set(addrs)];
    this.index = Math.max(0, this.known.indexOf(current));
  }
}
