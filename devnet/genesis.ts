import { parseAddressFor, type Address } from '../pactus/address.js';
import { FOUNDATION_ADDRESSES } from './foundation-addresses.js';
import { NANO_PER_PAC } from '../pactus/amount.js';
import { deriveWalletKey, mnemonicToSeed, type KeyPurpose } from '../pactus/hd.js';
import { PrivateKey } from '../pactus/keys.js';
import { bytesToHex, hash256, utf8ToBytes } from '../pactus/bytes.js';

/**
 * The documented default devnet recovery phrase. It is public: never send real funds to its addresses.
 * Override with DEVNET_MNEMONIC.
 */
export const DEFAULT_DEVNET_MNEMONIC =
  'west dice keen expand cattle cram weasel coin burger guide diet vivid';

export const DEVNET_ACCOUNT_FUNDS = 100_000n * NANO_PER_PAC;
export const DEVNET_VALIDATOR_STAKE = 1_000n * NANO_PER_PAC;
export const DEVNET_KEYS_PER_PURPOSE = 4;

export interface DevnetKey {
  purpose: KeyPurpose;
  index: number;
  key: PrivateKey;
  address: Address;
}

export interface DevnetKeys {
  accounts: DevnetKey[];
  validators: DevnetKey[];
}

/**
 * BLS accounts with a job on the devnet, so governance anchoring and reward payouts can be tried end to end with
 * no configuration (account i also receives validator i's block rewards).
 */
export const DEVNET_ROLES = { computePool: 1, governanceOperator: 2, rewardPool: 3 } as const;

/** One of the funded accounts. */
export function devnetAccountKey(
  keys: DevnetKeys,
  purpose: 'ed25519-account' | 'bls-account',
  index: number,
): DevnetKey {
  const found = keys.accounts.find((k) => k.purpose === purpose && k.index === index);
  if (!found) throw new Error(`the devnet has no ${purpose} ${index}`);
  return found;
}

/**
 * The genesis keys: Ed25519 accounts 0-3 and BLS accounts 0-3 (funded), BLS validators 0-3 (bonded), each from
 * `keyOf` (the phrase's testnet HD paths by default; tests may give fixed keys and skip the derivation).
 */
export function devnetKeySet(keyOf: (purpose: KeyPurpose, index: number) => PrivateKey): DevnetKeys {
  const make = (purpose: KeyPurpose, index: number): DevnetKey => {
    const key = keyOf(purpose, index);
    const pub = key.publicKey();
    return {
      purpose,
      index,
      key,
      address: purpose === 'validator' ? pub.validatorAddress() : pub.accountAddress(),
    };
  };
  const range = [...Array(DEVNET_KEYS_PER_PURPOSE).keys()];
  return {
    accounts: [...range.map((i) => make('ed25519-account', i)), ...range.map((i) => make('bls-account', i))],
    validators: range.map((i) => make('validator', i)),
  };
}

/** Each phrase's keys once per process: a devnet start derived them again (a third of a second, mostly BLS). */
const derived = new Map<string, DevnetKeys>();

/** The keys of a phrase, all on testnet paths. */
export function devnetKeys(mnemonic: string): DevnetKeys {
  let keys = derived.get(mnemonic);
  if (!keys) {
    const seed = mnemonicToSeed(mnemonic);
    keys = devnetKeySet((purpose, index) => deriveWalletKey(seed, purpose, 'testnet', index));
    // Shared by every devnet of the process: nobody may change them under another.
    Object.freeze(keys.accounts);
    Object.freeze(keys.validators);
    derived.set(mnemonic, keys);
  }
  return keys;
}

/**
 * Validator keys the devnet did not bond (indexes after the genesis validators, same public phrase): stake to one
 * with its public key to create a new validator. Devnet only: anyone can derive their private keys.
 */
export function unusedDevnetValidators(
  mnemonic: string,
  count = 3,
): { address: string; publicKey: string }[] {
  const seed = mnemonicToSeed(mnemonic);
  return Array.from({ length: count }, (_, i) => {
    const pub = deriveWalletKey(seed, 'validator', 'testnet', DEVNET_KEYS_PER_PURPOSE + i).publicKey();
    return { address: pub.validatorAddress().toString('testnet'), publicKey: pub.toString('testnet') };
  });
}

/** The order of BLS12-381's scalar field: Go's bls.PrivateKeyFromBytes keeps the scalar as is, so reduce it. */
const BLS_ORDER = 0x73eda753299d7d483339d80809a1d80553bda402fffe5bfeffffffff00000001n;

/**
 * The localnet Foundation address of index 0..99 derived as state/param/param.go does: the BLS key whose bytes are
 * BLAKE2b-256 of the byte `index`. Slow (a BLS public key); the devnet reads the table of them instead.
 */
export function deriveFoundationAddress(index: number): Address {
  const scalar = BigInt(`0x${bytesToHex(hash256(Uint8Array.of(index)))}`) % BLS_ORDER;
  const bytes = Uint8Array.from(
    scalar
      .toString(16)
      .padStart(64, '0')
      .match(/../g)!
      .map((b) => parseInt(b, 16)),
  );
  return PrivateKey.fromBytes('bls', bytes).publicKey().accountAddress();
}

const foundation = FOUNDATION_ADDRESSES.map((a) => parseAddressFor(a, 'testnet', 'account'));

/** The Foundation address that receives 30% of block `height`'s reward (param.go FoundationAddress: in turn). */
export function foundationAddress(height: number): Address {
  return foundation[height % foundation.length]!;
}

/** Parameters that shape the chain besides the original two; named in its identity only when set. */
const LATER_PARAMETERS = ['committeeSize', 'bondInterval', 'rewardEraEnds'] as const;

/**
 * The chain's identity: its genesis keys and parameters (block 1 adds its time to the hash chain). Parameters
 * added later count only when given, so chains kept before they existed keep their identity.
 */
export function genesisKey(
  keys: DevnetKeys,
  options: {
    unbondInterval?: number;
    protocolVersion?: number;
    committeeSize?: number;
    bondInterval?: number;
    rewardEraEnds?: readonly number[];
  },
): string {
  const later = Object.fromEntries(
    LATER_PARAMETERS.filter((name) => options[name] !== undefined).map((name) => [name, options[name]]),
  );
  return bytesToHex(
    hash256(
      utf8ToBytes(
        JSON.stringify({
          keys: [...keys.accounts, ...keys.validators].map((k) => k.address.toHex()),
          unbondInterval: options.unbondInterval ?? 20,
          protocolVersion: options.protocolVersion ?? 4,
          ...later,
        }),
      ),
    ),
  );
}
