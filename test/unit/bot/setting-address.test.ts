// An address setting that only the node's answer shows to be wrong (PACTUS_GRPC without PACTUS_NETWORK, a mainnet
// address on a testnet node, a validator where an account goes) stops start-up with one sentence naming the
// variable, never an AddressError's stack.
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { ConfigError, settingAddress } from '../../../bot/config.js';
import { explainStartupError } from '../../../bot/startup-errors.js';
import { PrivateKey } from '../../../pactus/keys.js';
import type { Config } from '../../../bot/config.js';

const NAMES = ['OPERATOR_ADDRESS', 'REWARDS_POOL_ADDRESS', 'COMPUTE_POOL_ADDRESS'];

it('the other network, a validator, or a broken checksum: a ConfigError naming the variable, said as is', () => {
  fc.assert(
    fc.property(
      fc.constantFrom(...NAMES),
      fc.uint8Array({ minLength: 32, maxLength: 32 }),
      fc.constantFrom('mainnet', 'testnet'),
      fc.constantFrom('other-network', 'validator', 'typo'),
      (name, seed, bot, fault) => {
        const other = bot === 'mainnet' ? 'testnet' : 'mainnet';
        const key = PrivateKey.fromBytes('ed25519', seed).publicKey();
        const right = key.accountAddress().toString(bot);
        expect(settingAddress(name, right, bot).toString(bot)).toBe(right);
        const value =
          fault === 'other-network'
            ? key.accountAddress().toString(other)
            : fault === 'validator'
              ? PrivateKey.fromBytes('bls', new Uint8Array(32).fill(seed[0]! | 1))
                  .publicKey()
                  .validatorAddress()
                  .toString(bot)
              : right.slice(0, -1) + (right.endsWith('q') ? 'p' : 'q');
        let thrown: unknown;
        try {
          settingAddress(name, value, bot);
        } catch (error) {
          thrown = error;
        }
        expect(thrown).toBeInstanceOf(ConfigError);
        const sentence = explainStartupError(thrown, {} as Config);
        expect(sentence).toMatch(new RegExp(`^${name}: `));
        expect(sentence).not.toMatch(/\n|at \w+ \(/);
      },
    ),
    { numRuns: 60 },
  );
});
