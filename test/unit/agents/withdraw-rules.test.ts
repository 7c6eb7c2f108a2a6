// A withdrawal names where it goes as a send does: an address, a contact's name (resolved from the person's own book
// when the action runs), or "me"; a word there that cannot be a name is asked about, never dropped for the default
// account. "My unbonded PAC" is all of it; "my stake" (which may still be bonded) is asked with that reading offered.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildRegistry } from '../../../agents/catalog.js';
import { createRulesParser, understand } from '../../../agents/rules/index.js';
import { PrivateKey } from '../../../pactus/keys.js';

const catalog = buildRegistry();
const parser = createRulesParser('testnet', catalog.rules);
const read = (text: string) => understand(text, parser, catalog.actions);
const V = PrivateKey.fromBytes('bls', new Uint8Array(32).fill(9))
  .publicKey()
  .validatorAddress()
  .toString('testnet');
const A = PrivateKey.fromBytes('ed25519', new Uint8Array(32).fill(3))
  .publicKey()
  .accountAddress()
  .toString('testnet');

const name = fc.stringMatching(/^[a-z][a-z0-9]{2,9}(?:[-_][a-z]{2,6})?$/).filter((n) => {
  const i = read(`send 1 PAC to ${n}`);
  return i.action === 'send' && (i.args as { to?: string }).to === n; // what the send rules take as a name
});
const amount = fc.constantFrom('10', '0.5', '1,000', 'all');
const verb = fc.constantFrom('withdraw', 'please withdraw', 'can you withdraw', 'Withdraw');

describe('withdraw ... to', () => {
  it('a name after "to" is kept for the action to resolve, never dropped', () => {
    fc.assert(
      fc.property(verb, amount, name, (v, amt, n) => {
        const unit = amt === 'all' ? '' : ' PAC';
        const intent = read(`${v} ${amt}${unit} from ${V} to ${n}`);
        expect(intent).toMatchObject({ action: 'withdraw', args: { validator: V, to: n } });
      }),
      { numRuns: 200 },
    );
  });

  it('an address is kept, "me" is the default account, and other words are asked about', () => {
    expect(read(`withdraw 10 PAC from ${V} to ${A}`)).toMatchObject({ action: 'withdraw', args: { to: A } });
    for (const me of ['me', 'myself', 'my wallet']) {
      const intent = read(`withdraw 10 PAC from ${V} to ${me}`);
      expect(intent.action, me).toBe('withdraw');
      expect(intent.action === 'withdraw' && 'to' in intent.args, me).toBe(false);
    }
    for (const junk of ['the moon', '5', '$$$', 'a', ''])
      expect(read(`withdraw 10 PAC from ${V} to ${junk}`), junk).toMatchObject({ action: null });
  });

  it('"my unbonded PAC" is all of it; "my stake" is asked, all offered', () => {
    for (const what of [
      'my unbonded PAC',
      'my unbonded stake',
      'the whole unbonded stake',
      'my unbonded coins',
    ])
      for (const v of ['claim', 'withdraw'])
        expect(read(`${v} ${what} from ${V}`), `${v} ${what}`).toMatchObject({
          action: 'withdraw',
          args: { validator: V, amount: 'all' },
        });
    expect(read(`withdraw my stake from ${V}`)).toMatchObject({
      action: null,
      offer: { action: 'withdraw', args: { amount: 'all' } },
    });
  });
});
