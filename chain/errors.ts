import { PactusError } from '../pactus/errors.js';

/** No configured node answered (down, unreachable, or too slow for the deadline). */
export class NodeUnavailable extends PactusError {
  /** What failed, in a few words ("connection refused", "deadline exceeded"). */
  constructor(readonly detail: string) {
    super(
      'node_unavailable',
      `The Pactus node is unreachable right now (${detail}). Please try again shortly.`,
    );
  }
}

/** The node does not know the thing asked for (a transaction, validator or public key). */
export class NotFound extends PactusError {
  constructor(what: string) {
    super('not_found', `${what} was not found on the node.`);
  }
}

/** The node refused a request, most importantly a broadcast; `reason` is the node's own words. */
export class Rejected extends PactusError {
  constructor(readonly reason: string) {
    super('rejected', `The node rejected it: ${reason}`);
  }
}
