import type { Sql } from '../db/connection.js';
import { Address, AddressType, parseAddressAnyNetwork } from '../pactus/address.js';
import type { PactusNodeClient } from '../chain/client.js';
import { linkedAddressesOf, primaryAddressOf } from '../wallet/accounts.js';
import { personOf } from './persons.js';

/** The node calls rewards need: an account's balance and a validator's stake and owner. */
export type ChainReader = Pick<PactusNodeClient, 'getAccount' | 'findValidator'>;

const isValidatorAddress = (address: string) => parseAddressAnyNetwork(address).address.isValidator();
const isAccountAddress = (address: string) => !isValidatorAddress(address);

/**
 * What an address weighs on chain: an account's balance, or a bonded validator's stake (an unbonded validator
 * weighs nothing). Answers are kept for the life of this object, so one pass asks the node once per address.
 */
export class ChainWeights {
  private readonly cache = new Map<string, Promise<bigint>>();

  constructor(private readonly chain: ChainReader) {}

  of(address: string): Promise<bigint> {
    let weight = this.cache.get(address);
    if (!weight) {
      weight = isValidatorAddress(address)
        ? this.chain.findValidator(address).then((v) => (v && v.unbondingHeight === 0 ? v.stake : 0n))
        : this.chain.getAccount(address).then((a) => a.balance);
      // A failed call is not cached: the next pass asks again.
      weight.catch(() => this.cache.delete(address));
      this.cache.set(address, weight);
    }
    return weight;
  }

  /** The first address holding at least `minimum`, in the order given; null when none does. */
  async firstHeavy(addresses: string[], minimum: bigint): Promise<string | null> {
    for (const address of addresses) if ((await this.of(address)) >= minimum) return address;
    return null;
  }
}

/**
 * Where a reward earned on `address` can be paid. Accounts receive transfers; validators cannot (Go's transfer
 * executor refuses a validator receiver), so a validator's rewards go to an account of the person who earned
 * them (their primary wallet first), else to the validator's owner: the delegation owner when the stake is
 * delegated, otherwise the account address of the validator's own BLS key, which the same key controls.
 */
export async function payableAddress(
  db: Sql,
  chain: ChainReader,
  address: string,
  chatAccountIds: number[],
): Promise<string> {
  if (isAccountAddress(address)) return address;
  for (const id of chatAccountIds) {
    const person = await personOf(db, id);
    const own = [await primaryAddressOf(db, id), ...(await linkedAddressesOf(db, id)).map((a) => a.address)];
    const account = [...own, ...person.addresses].find((a) => a !== null && isAccountAddress(a));
    if (account) return account;
  }
  const validator = await chain.findValidator(address);
  if (validator?.delegation) return validator.delegation.owner;
  const parsed = parseAddressAnyNetwork(address);
  return Address.fromHash(AddressType.BlsAccount, parsed.address.hash).toString(parsed.network);
}
