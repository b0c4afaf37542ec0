/**
 * A promise settled from outside, at most once, that rejects by itself after a deadline. Used for
 * callers waiting on consensus: a proposal's commit, a read's confirmation, a membership change.
 */
export class Deferred<T> {
  readonly promise: Promise<T>;
  private resolveFn!: (value: T) => void;
  private rejectFn!: (err: Error) => void;
  private timer?: NodeJS.Timeout;
  private done = false;

  /** @param timeout rejects with `timeout.error()` after `timeout.ms`, unless settled before */
  constructor(timeout?: { readonly ms: number; error(): Error }) {
    this.promise = new Promise<T>((resolve, reject) => {
      this.resolveFn = resolve;
      this.rejectFn = reject;
    });
    if (timeout) {
      this.timer = setTimeout(() => this.reject(timeout.error()), timeout.ms);
      this.timer.unref();
    }
  }

  get settled(): boolean {
    return this.done;
  }

  resolve(value: T): void {
    if (this.finish()) this.resolveFn(value);
  }

  reject(err: Error): void {
    if (this.finish()) this.rejectFn(err);
  }

  private finish(): boolean {
    if (this.done) return false;
    this.done = true;
    clearTimeout(this.timer);
    return true;
  }
}
