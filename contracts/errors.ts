import { PactusError } from '../pactus/errors.js';

/** A contract that cannot be read or run as asked: the message says what and is safe to show. */
export class ContractError extends PactusError {
  constructor(message: string) {
    super('contract', message);
  }
}
