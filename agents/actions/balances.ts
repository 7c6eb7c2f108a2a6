// What an address holds: an account's balance, and for a validator its stake and state (a validator address has
// no balance of its own: its PAC is the stake, types/validator/validator.go Stake(), while transfers credit
// accounts, execution/executor/transfer.go). Addresses may be typed as contact names.
import { z } from 'zod';
import { parseAddressFor, AddressType, Address } from '../../pactus/address.js';
import type { ValidatorState } from '../../chain/types.js';
import { WalletError, linkedAddressesOf } from '../../wallet/index.js';
import type { ActionContext } from '../context.js';
import { defineAction } from '../registry.js';
import { fields, reply, type Block, type Field, type Reply } from '../reply.js';
import { pac } from './format.js';
import { askingAboutRecipients, contactByName, isNameLike } from './recipients.js';

const address = z.string().trim().min(1).max(100);

/** The explicitly named address (or contact), or else the caller's linked wallets. */
async function targetsOf(ctx: ActionContext, typed: string | undefined): Promise<string[]> {
  const { network } = ctx.services;
  if (!typed) return linkedOrExplain(ctx);
  if (isNameLike(typed)) return [(await contactByName(ctx, typed.trim().toLowerCase())).address];
  return [parseAddressFor(typed, network).toString(network)];
}

async function linkedOrExplain(ctx: ActionContext): Promise<string[]> {
  const linked = (await linkedAddressesOf(ctx.services.wallet.db, ctx.caller.chatAccountId)).map(
    (a) => a.address,
  );
  if (linked.length === 0)
    throw new WalletError(
      'no_wallet',
      'You have no linked wallet yet. Link one with "link <your address>", or ask for "balance of <address>".',
    );
  return linked;
}

/** A validator's stake and where it stands (bonded, unbonding, withdrawable), in plain words. */
export function validatorState(validator: ValidatorState, height: number, unbondInterval: number): string {
  if (validator.unbondingHeight > 0) {
    const ready = validator.unbondingHeight + unbondInterval;
    return height >= ready
      ? 'unbonded; withdrawable now'
      : `unbonding since block ${validator.unbondingHeight}; withdrawable at block ${ready}`;
  }
  return `bonded since block ${validator.lastBondingHeight}`;
}

/** A contact's name that is not in the book: "did you mean ...?" with a button for the nearest name. */
const askingAbout = (action: 'balance' | 'account', run: () => Promise<Reply>) =>
  askingAboutRecipients(
    action,
    (address) => ({ address }),
    run,
    (name) => `${action === 'balance' ? 'Balance' : 'Stake'} of ${name}`,
  );

/** A named address or a contact's (whose address is the person's own address book) is shown in private. */
const personal = (input: { address?: string }) => !input.address || isNameLike(input.address);

export const balance = defineAction({
  name: 'balance',
  description: 'Balance (default: your linked wallets).',
  schema: z.object({ address: address.optional() }),
  personal,
  examples: ["what's my balance", 'balance of tpc1z...', "alice's balance"],
  async run(ctx, input) {
    return askingAbout('balance', async () => {
      const { wallet } = ctx.services;
      const targets = await targetsOf(ctx, input.address);
      const rows: Field[] = [];
      let total = 0n;
      for (const target of targets) {
        if (parseAddressFor(target, ctx.services.network).type === AddressType.Validator) {
          const validator = await wallet.node.findValidator(target);
          const { height } = await wallet.node.getBlockchainInfo();
          rows.push({
            label: target,
            value: validator
              ? `validator with ${pac(validator.stake)} staked, ${validatorState(validator, height, wallet.config.unbondInterval)}`
              : 'a validator address that was never bonded (no stake; validators hold no balance of their own)',
          });
          continue;
        }
        const account = await wallet.node.getAccount(target);
        total += account.balance;
        rows.push({ label: target, value: pac(account.balance) + (account.exists ? '' : ' (never used)') });
      }
      if (rows.length > 1) rows.push({ label: 'Total (accounts)', value: pac(total) });
      return reply(personal(input) ? 'private' : 'public', fields(rows, 'Balance'));
    });
  },
});

export const account = defineAction({
  name: 'account',
  description: 'Stake and validator state (default: your linked wallets).',
  schema: z.object({ address: address.optional() }),
  personal,
  examples: ["what's my stake", 'account tpc1p...'],
  async run(ctx, input) {
    return askingAbout('account', async () => {
      const { wallet, network } = ctx.services;
      const targets = await targetsOf(ctx, input.address);
      const blocks: Block[] = [];
      const { height } = await wallet.node.getBlockchainInfo();
      for (const target of targets) {
        const parsed = parseAddressFor(target, network);
        // A BLS account and its validator share a key hash; show the validator side for either.
        const validatorAddress =
          parsed.type === AddressType.Validator || parsed.type === AddressType.BlsAccount
            ? Address.fromHash(AddressType.Validator, parsed.hash).toString(network)
            : null;
        const rows: Field[] = [];
        if (parsed.isAccount())
          rows.push({ label: 'Balance', value: pac(await wallet.node.getBalance(target)) });
        const validator = validatorAddress ? await wallet.node.findValidator(validatorAddress) : null;
        if (validator) {
          rows.push(
            { label: 'Validator', value: validator.address, code: true },
            { label: 'Stake', value: pac(validator.stake) },
            { label: 'State', value: validatorState(validator, height, wallet.config.unbondInterval) },
          );
          if (validator.delegation)
            rows.push({
              label: 'Delegated to owner',
              value: `${validator.delegation.owner} until block ${validator.delegation.expiry}`,
            });
        } else if (parsed.type === AddressType.Validator)
          rows.push({ label: 'State', value: 'not a validator (never bonded)' });
        else rows.push({ label: 'Stake', value: 'none' });
        blocks.push(fields(rows, target));
      }
      return reply(personal(input) ? 'private' : 'public', ...blocks);
    });
  },
});
