/** Error codes the control API carries to clients; the CLI maps them to exit codes. */
export type ErrorCode = 'invalid' | 'not-found' | 'conflict' | 'unavailable' | 'unauthenticated' | 'permission-denied' | 'internal';

/** An error meant for a user: it says what is wrong and, where it applies, which field. */
export class OrchError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    /** Dotted path of the offending field, e.g. `mode.replicated.replicas` or `--replicas`. */
    readonly field?: string,
  ) {
    super(message);
    this.name = 'OrchError';
  }
}

/** A call that only the leader serves reached another manager; `leaderAddr` says where to go instead. */
export class NotLeaderError extends OrchError {
  constructor(readonly leaderAddr: string | undefined) {
    super('unavailable', leaderAddr ? `this manager is not the leader; the leader is at ${leaderAddr}` : 'this manager is not the leader, and no leader is known right now (has the cluster lost quorum?)');
    this.name = 'NotLeaderError';
  }
}

/** Bad input: names the field and what was expected. */
export class ValidationError extends OrchError {
  constructor(field: string, expected: string) {
    super('invalid', `invalid ${field}: ${expected}`, field);
    this.name = 'ValidationError';
  }
}

export class NotFoundError extends OrchError {
  constructor(kind: string, ref: string) {
    super('not-found', `${kind} ${ref} not found`);
    this.name = 'NotFoundError';
  }
}

/** A write lost a race: the object changed since it was read. */
export class ConflictError extends OrchError {
  constructor(message: string) {
    super('conflict', message);
    this.name = 'ConflictError';
  }
}
