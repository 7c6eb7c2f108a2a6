/** A contract that cannot be read or run as asked: the message says what and is safe to show. */
export class ContractError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ContractError';
  }
}
