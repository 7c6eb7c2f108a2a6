import { z } from 'zod';
import { parseAddressFor, AddressType, Address } from '../../pactus/address.js';
import { PayloadType } from '../../pactus/tx.js';
import {
  WalletError,
  cancelDraft,
  draftById,
  draftsByTxId,
  linkedAddressesOf,
  pendingDraftsOf,
} from '../../wallet/index.js';
import { recipientFor } from './contacts.js';
import { requester, type ActionContext } from '../context.js';
import { defineAction } from '../registry.js';
import { draftReply } from '../render/draft.js';
import { fields, notice, reply, text, type Field } from '../reply.js';
import { minutesUntil, pac, parseAmountArg, shortId } from './format.js';

const address = z.string().trim().min(1).max(100);
const amount = z.string().trim().min(1).max(40);
const memo = z.string().max(200).optional();

/** The explicitly named address, or else the caller's linked wallets. */
async function targetsOf(ctx: ActionContext, address: string | undefined): Promise<string[]> {
  const { network } = ctx.services;
  return address ? [parseAddressFor(address, network).toString(network)] : await linkedOrExplain(ctx);
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

export const balance = defineAction({
  name: 'balance',
  description: 'Balance (default: your linked wallets).',
  schema: z.object({ address: address.optional() }),
  personal: (input) => !input.address,
  examples: ["what's my balance", 'balance of tpc1z...'],
  async run(ctx, input) {
    const { wallet } = ctx.services;
    const targets = await targetsOf(ctx, input.address);
    const rows: Field[] = [];
    let total = 0n;
    for (const target of targets) {
      const account = await wallet.node.getAccount(target);
      total += account.balance;
      rows.push({ label: target, value: pac(account.balance) + (account.exists ? '' : ' (never used)') });
    }
    if (rows.length > 1) rows.push({ label: 'Total', value: pac(total) });
    return reply(input.address ? 'public' : 'private', fields(rows, 'Balance'));
  },
});

export const account = defineAction({
  name: 'account',
  description: 'Stake and validator state (default: your linked wallets).',
  schema: z.object({ address: address.optional() }),
  personal: (input) => !input.address,
  examples: ["what's my stake", 'account tpc1p...'],
  async run(ctx, input) {
    const { wallet, network } = ctx.services;
    const targets = await targetsOf(ctx, input.address);
    const blocks = [];
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
        );
        if (validator.unbondingHeight > 0) {
          const ready = validator.unbondingHeight + wallet.config.unbondInterval;
          rows.push({
            label: 'State',
            value:
              height >= ready
                ? `unbonded; withdrawable now`
                : `unbonding since block ${validator.unbondingHeight}; withdrawable at block ${ready}`,
          });
        } else rows.push({ label: 'State', value: `bonded since block ${validator.lastBondingHeight}` });
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
    return reply(input.address ? 'public' : 'private', ...blocks);
  },
});

const FEE_KINDS = {
  transfer: PayloadType.Transfer,
  batch: PayloadType.BatchTransfer,
  stake: PayloadType.Bond,
  unstake: PayloadType.Unbond,
  withdraw: PayloadType.Withdraw,
} as const;

export const fee = defineAction({
  name: 'fee',
  description: 'Fee quote for a transaction.',
  schema: z.object({
    amount: amount.optional(),
    kind: z.enum(['transfer', 'batch', 'stake', 'unstake', 'withdraw']).optional(),
  }),
  personal: false,
  examples: ['how much is the fee to send 10 PAC', 'fee'],
  async run(ctx, input) {
    const kind = input.kind ?? 'transfer';
    const nano = input.amount ? parseAmountArg(input.amount, false) : 0n;
    const quote = await ctx.services.wallet.node.calculateFee(nano as bigint, FEE_KINDS[kind]);
    const line =
      kind === 'unstake'
        ? 'Unstaking is free (the network requires a fee of 0).'
        : `The network fee for a ${kind} is ${pac(quote.fee)}.`;
    return reply('public', text(line));
  },
});

export const send = defineAction({
  name: 'send',
  description: 'Draft a PAC transfer.',
  schema: z.object({ to: address, amount, memo, from: address.optional() }),
  personal: true,
  examples: [
    'send 5 PAC to tpc1z...',
    'send 5 PAC to alice (a name from your contacts)',
    'pay tpc1r... 0.5 pac with memo rent',
    'send 2 PAC from tpc1r... to tpc1z...',
  ],
  async run(ctx, input) {
    const amount = parseAmountArg(input.amount, true);
    // "send 5 PAC to alice": names come from the person's own address book only.
    const recipient = await recipientFor(ctx, input.to);
    const draft = await ctx.services.wallet.drafting.transfer(requester(ctx.caller), {
      to: recipient.address,
      amount,
      memo: input.memo,
      from: input.from,
    });
    const answer = draftReply(draft, ctx.services.network);
    return { ...answer, blocks: [...recipient.notes, ...answer.blocks] };
  },
});

/** "tpc1a 1, tpc1b 2.5" or "tpc1a:1; tpc1b:2.5" */
export function parseRecipientList(text: string): { to: string; amount: bigint }[] {
  const parts = text
    .split(/[,;\n]+/)
    .map((p) => p.trim())
    .filter(Boolean);
  return parts.map((part, i) => {
    const match = /^(\S+?)[\s:=]+(\S+)(?:\s*pac)?$/i.exec(part);
    if (!match)
      throw new WalletError(
        'bad_batch',
        `Recipient ${i + 1} ("${part.slice(0, 60)}") should be "<address> <amount>".`,
      );
    const value = parseAmountArg(match[2]!, false) as bigint;
    return { to: match[1]!, amount: value };
  });
}

export const sendMany = defineAction({
  name: 'send_many',
  description: 'Draft one batch transfer to 2-8 addresses.',
  schema: z.object({
    recipients: z.string().min(1).max(1200).describe('"address amount" pairs, comma-separated'),
    memo,
    from: address.optional(),
  }),
  personal: true,
  examples: ['send 1 PAC to tpc1a... and 2 PAC to tpc1b...', 'send_many tpc1a... 1, tpc1b... 2'],
  async run(ctx, input) {
    const draft = await ctx.services.wallet.drafting.batchTransfer(requester(ctx.caller), {
      recipients: parseRecipientList(input.recipients),
      memo: input.memo,
      from: input.from,
    });
    return draftReply(draft, ctx.services.network);
  },
});

export const stake = defineAction({
  name: 'stake',
  description: 'Draft a bond (stake) to a validator.',
  schema: z.object({
    validator: address,
    amount,
    public_key: z.string().max(300).optional(),
    from: address.optional(),
    memo,
  }),
  personal: true,
  examples: ['stake 100 PAC to tpc1p...', 'bond 1000 pac to tpc1p... with public key tpublic1p...'],
  async run(ctx, input) {
    const draft = await ctx.services.wallet.drafting.bond(requester(ctx.caller), {
      validator: input.validator,
      amount: parseAmountArg(input.amount, false) as bigint,
      validatorPublicKey: input.public_key,
      from: input.from,
      memo: input.memo,
    });
    return draftReply(draft, ctx.services.network);
  },
});

/** "30d", "12h", or a block height: when a PIP-49 delegation ends. */
function expiryHeight(text: string, height: number, blockMs: number): number {
  const trimmed = text.trim().toLowerCase();
  if (/^\d{1,10}$/.test(trimmed)) return Number(trimmed);
  const m = /^(\d{1,5})\s*(d|days?|h|hours?)$/.exec(trimmed);
  if (!m)
    throw new WalletError(
      'bad_delegation',
      'Say when the delegation ends: a block height, or a time like "30d" or "12h".',
    );
  const ms = Number(m[1]) * (m[2]!.startsWith('d') ? 86_400_000 : 3_600_000);
  return height + Math.ceil(ms / blockMs);
}

export const stakeDelegated = defineAction({
  name: 'stake_delegated',
  description: 'Draft a PIP-49 delegated bond creating a new validator.',
  schema: z.object({
    validator: address,
    public_key: z.string().max(300),
    share: amount.describe("owner's share of each block reward, 0-0.7 PAC"),
    until: z.string().trim().min(1).max(20).describe('block height, or "30d"'),
    owner: address.optional(),
    from: address.optional(),
    memo,
  }),
  personal: true,
  hiddenFromModel: true,
  examples: ['/stake_delegated tpc1p... | tpublic1p... | 0.5 | 30d'],
  async run(ctx, input) {
    const { wallet } = ctx.services;
    const { height } = await wallet.node.getBlockchainInfo();
    const draft = await wallet.drafting.bond(requester(ctx.caller), {
      validator: input.validator,
      amount: 1_000_000_000_000n,
      validatorPublicKey: input.public_key,
      from: input.from,
      memo: input.memo,
      delegation: {
        owner: input.owner,
        share: parseAmountArg(input.share, false) as bigint,
        expiry: expiryHeight(input.until, height, wallet.config.blockIntervalMs),
      },
    });
    return draftReply(draft, ctx.services.network);
  },
});

export const unstake = defineAction({
  name: 'unstake',
  description: 'Draft an unbond of a validator.',
  schema: z.object({ validator: address, memo }),
  personal: true,
  examples: ['unstake tpc1p...'],
  async run(ctx, input) {
    const draft = await ctx.services.wallet.drafting.unbond(requester(ctx.caller), {
      validator: input.validator,
      memo: input.memo,
    });
    return draftReply(draft, ctx.services.network);
  },
});

export const withdraw = defineAction({
  name: 'withdraw',
  description: 'Draft a withdrawal of unbonded stake to an account.',
  schema: z.object({ validator: address, amount, to: address.optional(), memo }),
  personal: true,
  examples: ['withdraw 10 PAC from tpc1p... to tpc1z...', 'withdraw all from tpc1p...'],
  async run(ctx, input) {
    const draft = await ctx.services.wallet.drafting.withdraw(requester(ctx.caller), {
      validator: input.validator,
      amount: parseAmountArg(input.amount, true),
      to: input.to,
      memo: input.memo,
    });
    return draftReply(draft, ctx.services.network);
  },
});

export const txStatus = defineAction({
  name: 'tx_status',
  description: 'Status of a transaction by its ID.',
  schema: z.object({
    id: z
      .string()
      .trim()
      .regex(/^[0-9a-fA-F]{64}$/, 'a transaction ID is 64 hex characters'),
  }),
  personal: false,
  examples: ['status of a57ae2db...'],
  async run(ctx, input) {
    const { node, db } = ctx.services.wallet;
    const id = input.id.toLowerCase();
    const found = await node.transactionState(id);
    if (found.state === 'committed') {
      const { tx } = found;
      // Pactus has instant finality: a committed transaction is final even at 0 confirmations.
      const depth =
        tx.confirmations > 0 ? `, ${tx.confirmations} block${tx.confirmations === 1 ? '' : 's'} ago` : '';
      return reply(
        'public',
        notice(
          'success',
          `Transaction ${shortId(id)} is committed in block ${tx.blockHeight}${depth}. It is final.`,
        ),
        fields([
          { label: 'Fee', value: pac(tx.fee) },
          { label: 'Moved', value: pac(tx.value) },
        ]),
      );
    }
    if (found.state === 'pending')
      return reply(
        'public',
        notice('info', `Transaction ${shortId(id)} is waiting in the node's pool for the next block.`),
      );
    // Unknown to the node: our own record may say why (refused, expired, accepted but never pooled).
    const mine = (await draftsByTxId(db, id)).find((d) => d.chatAccountId === ctx.caller.chatAccountId);
    if (mine?.status === 'failed' || mine?.status === 'expired')
      return reply(
        'public',
        notice(
          'error',
          `Transaction ${shortId(id)} did not go through: ${mine.failureReason ?? 'its link expired'}.`,
        ),
      );
    if (mine?.status === 'submitted')
      return reply(
        'public',
        notice(
          'warning',
          `Transaction ${shortId(id)} was sent, but the node holds it in neither its pool nor a block${mine.stalledAt ? ' (its fee may be below the node’s minimum)' : ''}. I keep sending it until its lock time passes.`,
        ),
      );
    return reply(
      'public',
      notice(
        'warning',
        `The node does not know transaction ${shortId(id)}: it was never broadcast, it expired, or the node did not keep it (for example, a fee below its minimum).`,
      ),
    );
  },
});

export const cancel = defineAction({
  name: 'cancel',
  description: 'Cancel one of your pending drafts, or list them.',
  schema: z.object({ draft: z.string().uuid().optional() }),
  personal: true,
  hiddenFromModel: true,
  examples: ['/cancel'],
  async run(ctx, input) {
    const { db, config } = ctx.services.wallet;
    if (!input.draft) {
      const pending = await pendingDraftsOf(db, ctx.caller.chatAccountId);
      if (pending.length === 0) return reply('private', text('You have no pending drafts to cancel.'));
      return {
        visibility: 'private',
        blocks: [
          fields(
            pending.map((d) => ({
              label: `${d.kind.replace('_', ' ')} (${d.txId ? shortId(d.txId) : 'message'})`,
              value: `link expires in ${minutesUntil(d.expiresAt, config.now())}`,
            })),
            'Your pending drafts',
          ),
        ],
        buttons: pending.slice(0, 5).map((d, i) => ({
          type: 'action' as const,
          label: `Cancel #${i + 1}`,
          action: 'cancel',
          args: { draft: d.id },
          style: 'danger' as const,
        })),
      };
    }
    const draft = await draftById(db, input.draft);
    if (!draft || draft.chatAccountId !== ctx.caller.chatAccountId)
      return reply('private', notice('error', 'That draft is not yours or does not exist.'));
    if (!(await cancelDraft(db, input.draft, ctx.caller.chatAccountId, config.now())))
      return reply(
        'private',
        notice('warning', `That draft can no longer be cancelled (it is ${draft.status}).`),
      );
    return reply('private', notice('success', 'Cancelled. Its signing link no longer works.'));
  },
});
