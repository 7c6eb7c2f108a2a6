import { bech32m } from '@scure/base';
import { AddressError, excerpt } from './errors.js';
import { bytesToHex, equalBytes } from './bytes.js';
import { NETWORK_PARAMS, type Network } from './network.js';

export enum AddressType {
  Treasury = 0,
  Validator = 1,
  BlsAccount = 2,
  Ed25519Account = 3,
  Secp256k1Account = 4,
}

export const ADDRESS_SIZE = 21;
/** The treasury is not bech32: it is written as 42 zeros and encoded in transactions as the single byte 0x00. */
export const TREASURY_STRING = '0'.repeat(42);

/** A 21-byte Pactus address (type byte + RIPEMD160(BLAKE2b256(public key))); the treasury is all zeros. */
export class Address {
  private constructor(readonly bytes: Uint8Array) {}

  static fromBytes(bytes: Uint8Array): Address {
    if (bytes.length !== ADDRESS_SIZE)
      throw new AddressError(`An address is ${ADDRESS_SIZE} bytes, got ${bytes.length}.`);
    const type = bytes[0]!;
    if (type > AddressType.Secp256k1Account) throw new AddressError(`Unknown address type ${type}.`);
    if (type === AddressType.Treasury && bytes.some((b) => b !== 0))
      throw new AddressError('A treasury address must be all zeros.');
    return new Address(Uint8Array.from(bytes));
  }

  static fromHash(type: AddressType, hash: Uint8Array): Address {
    if (hash.length !== 20) throw new AddressError('An address hash is 20 bytes.');
    const bytes = new Uint8Array(ADDRESS_SIZE);
    bytes[0] = type;
    bytes.set(hash, 1);
    return Address.fromBytes(bytes);
  }

  static treasury(): Address {
    return new Address(new Uint8Array(ADDRESS_SIZE));
  }

  get type(): AddressType {
    return this.bytes[0]! as AddressType;
  }

  get hash(): Uint8Array {
    return this.bytes.subarray(1);
  }

  isTreasury(): boolean {
    return this.type === AddressType.Treasury;
  }

  /** As Go's IsAccountAddress (crypto/address.go): the treasury counts as an account (it receives fees). */
  isAccount(): boolean {
    return this.type === AddressType.Treasury || this.type >= AddressType.BlsAccount;
  }

  isValidator(): boolean {
    return this.type === AddressType.Validator;
  }

  equals(other: Address): boolean {
    return equalBytes(this.bytes, other.bytes);
  }

  toString(network: Network): string {
    if (this.isTreasury()) return TREASURY_STRING;
    const words = [this.type, ...bech32m.toWords(this.hash)];
    return bech32m.encode(NETWORK_PARAMS[network].addressHrp, words);
  }

  toHex(): string {
    return bytesToHex(this.bytes);
  }
}

export interface ParsedAddress {
  address: Address;
  network: Network;
}

/** Parses an address string for either network; see `parseAddressFor` to also pin the network. */
export function parseAddressAnyNetwork(text: string): ParsedAddress {
  const input = text.trim();
  if (input === TREASURY_STRING) throw new AddressError('The treasury address cannot be used here.');
  if (input !== input.toLowerCase() && input !== input.toUpperCase())
    throw new AddressError(`"${excerpt(input)}" mixes upper and lower case, which is not a valid address.`);
  const lower = input.toLowerCase();
  let decoded: { prefix: string; words: number[] };
  try {
    decoded = bech32m.decode(lower as `${string}1${string}`, 90);
  } catch {
    throw new AddressError(`"${excerpt(input)}" is not a valid Pactus address (bad format or checksum).`);
  }
  const network = (Object.keys(NETWORK_PARAMS) as Network[]).find(
    (n) => NETWORK_PARAMS[n].addressHrp === decoded.prefix,
  );
  if (!network)
    throw new AddressError(
      `"${excerpt(input)}" is not a Pactus address (prefix "${excerpt(decoded.prefix, 12)}").`,
    );
  const [type, ...rest] = decoded.words;
  if (type === undefined || type < AddressType.Validator || type > AddressType.Secp256k1Account)
    throw new AddressError(`"${excerpt(input)}" has an unknown address type.`);
  let hash: Uint8Array;
  try {
    hash = bech32m.fromWords(rest);
  } catch {
    throw new AddressError(`"${excerpt(input)}" is not a valid Pactus address (bad padding).`);
  }
  if (hash.length !== 20)
    throw new AddressError(`"${excerpt(input)}" has the wrong length for a Pactus address.`);
  return { address: Address.fromHash(type, hash), network };
}

/**
 * Parses an address string the way the node does (crypto.AddressFromString): the treasury's 42 zeros are an
 * address here, upper-case strings are accepted, and the prefix must be `network`'s. For what people type, use
 * `parseAddressFor`, which refuses the treasury and explains itself.
 */
export function parseNodeAddress(text: string, network: Network): Address {
  if (text === TREASURY_STRING) return Address.treasury();
  const parsed = parseAddressAnyNetwork(text);
  if (parsed.network !== network)
    throw new AddressError(`"${excerpt(text)}" has the wrong prefix for ${network}.`);
  return parsed.address;
}

export type AddressRole = 'account' | 'validator' | 'any';

/**
 * Parses an address and checks that it belongs to `network` and fits `role`, with a message a person can act on.
 */
export function parseAddressFor(text: string, network: Network, role: AddressRole = 'any'): Address {
  const parsed = parseAddressAnyNetwork(text);
  if (parsed.network !== network) {
    const expected = NETWORK_PARAMS[network].addressHrp;
    throw new AddressError(
      `"${excerpt(text.trim())}" is a ${parsed.network} address, but this bot runs on ${network} (addresses start with "${expected}1").`,
    );
  }
  const { address } = parsed;
  if (role === 'account' && !address.isAccount())
    throw new AddressError(
      `"${excerpt(text.trim())}" is a validator address; an account address is needed here (${NETWORK_PARAMS[network].addressHrp}1z... or ${NETWORK_PARAMS[network].addressHrp}1r...).`,
    );
  if (role === 'validator' && !address.isValidator())
    throw new AddressError(
      `"${excerpt(text.trim())}" is an account address; a validator address is needed here (${NETWORK_PARAMS[network].addressHrp}1p...).`,
    );
  return address;
}

export function isValidAddress(text: string, network: Network, role: AddressRole = 'any'): boolean {
  try {
    parseAddressFor(text, network, role);
    return true;
  } catch {
    return false;
  }
}
