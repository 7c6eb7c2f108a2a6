import { PactusError } from '../pactus/errors.js';

/**
 * A request the bot refuses, with a message written for the person who made it. Every PactusError is safe to
 * show in chat; anything else is a bug and is logged, never shown.
 */
export class WalletError extends PactusError {}

export type LinkErrorCode =
  | 'not_found'
  | 'expired'
  | 'used'
  | 'malformed'
  | 'tx_mismatch'
  | 'wrong_signer'
  | 'bad_signature'
  | 'rejected'
  | 'unsafe_message'
  | 'rate_limited'
  | 'not_eligible'
  | 'voting_closed'
  | 'cancelled'
  | 'chain_restarted'
  | 'ended'
  | 'superseded';

/** A signing-link failure; `status` is the HTTP status the signer server answers with. */
export class LinkError extends PactusError {
  constructor(
    code: LinkErrorCode,
    message: string,
    readonly status: number,
  ) {
    super(code, message);
  }
}
