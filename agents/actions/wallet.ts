import { z } from 'zod';
import { PayloadType } from '../../pactus/tx.js';
import { WalletError, draftsByTxId } from '../../wallet/index.js';
import { askingAboutRecipients, buttonArgs, recipientFor } from './recipients.js';
import { requester } from '../context.js';
import { defineAction } from '../registry.js';
import { draftReply } from '../render/draft.js';
import { fields, notice, reply, text } from '../reply.js';
import { minutesUntil, pac, parseAmountArg, shortId } from './format.js';

const address = z.string().trim().min(1).max(100);
const amount = z.string().trim().min(1).max(40);
const memo = z.string().max(200).optional();

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
    'send 5 PAC to alice',
    'pay tpc1r... 0.5 pac with memo rent',
    'send 2 PAC from tpc1r... to tpc1z...',
  ],
  async run(ctx, input) {
    const amount = parseAmountArg(input.amount, true);
    return askingAboutRecipients(
      'send',
      (to) => buttonArgs({ ...input, to }),
      async () => {
        // "send 5 PAC to alice": names come from the person's own address book only; "me" is their other wallet.
        const recipient = await recipientFor(ctx, input.to, input.from);
        const draft = await ctx.services.wallet.drafting.transfer(requester(ctx.caller), {
          to: recipient.address,
          amount,
          memo: input.memo,
          from: input.from,
        });
        const answer = draftReply(draft, ctx.services.network);
        return { ...answer, blocks: [...recipient.notes, ...answer.blocks] };
      },
      (to) => `Send ${amount === 'all' ? 'all' : pac(amount)} to ${to}`,
    );
  },
});

/** The batch's list with one recipient, as typed, replaced ("alcie 2" -> "alice 2"). */
function replaceRecipient(list: string, typed: string, replacement: string): string {
  return list
    .split(/([,;\n]+)/)
    .map((part) => {
      const [to, ...rest] = part.trim().split(/([\s:=]+)/);
      return to?.toLowerCase() === typed.toLowerCase() ? [replacement, ...rest].join('') : part.trim();
    })
    .join('')
    .replace(/,(?=\S)/g, ', ');
}

/** "tpc1a 1, tpc1b 2.5" or "tpc1a:1; tpc1b:2.5"; a recipient may be a contact's name or "me". */
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
    const listed = parseRecipientList(input.recipients);
    let typo = '';
    return askingAboutRecipients(
      'send_many',
      (name) => buttonArgs({ ...input, recipients: replaceRecipient(input.recipients, typo, name) }),
      async () => {
        // Names and "me" in a batch resolve exactly as in a single send; their notes come before the draft, and
        // so does a look-alike warning about any recipient (a first payment is left to the page, once for all).
        const notes = [];
        const recipients = [];
        for (const r of listed) {
          typo = r.to;
          const resolved = await recipientFor(ctx, r.to, input.from);
          const named = resolved.name !== null || r.to.toLowerCase() === 'me';
          notes.push(
            ...resolved.notes.filter((n) => named || (n.type === 'notice' && n.level === 'warning')),
          );
          recipients.push({ to: resolved.address, amount: r.amount });
        }
        const draft = await ctx.services.wallet.drafting.batchTransfer(requester(ctx.caller), {
          recipients,
          memo: input.memo,
          from: input.from,
        });
        const answer = draftReply(draft, ctx.services.network);
        return { ...answer, blocks: [...notes, ...answer.blocks] };
      },
      (name) => `Use ${name}`,
    );
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
    const amount = parseAmountArg(input.amount, true);
    return askingAboutRecipients(
      'withdraw',
      (to) => buttonArgs({ ...input, to }),
      async () => {
        // As for send: a name comes from the person's own book, and a look-alike of an address they know is
        // warned about. "me" (or no recipient) is the default the drafting picks: the owner, else the primary.
        const typed = input.to?.trim();
        const recipient = typed && typed.toLowerCase() !== 'me' ? await recipientFor(ctx, typed) : null;
        const draft = await ctx.services.wallet.drafting.withdraw(requester(ctx.caller), {
          validator: input.validator,
          amount,
          to: recipient?.address,
          memo: input.memo,
        });
        const answer = draftReply(draft, ctx.services.network);
        return { ...answer, blocks: [...(recipient?.notes ?? []), ...answer.blocks] };
      },
      (to) => `Withdraw ${amount === 'all' ? 'all' : pac(amount)} to ${to}`,
    );
  },
});

export const txStatus = defineAction({
  name: 'tx_status',
  description: 'Status of a transaction by its ID.',
  schema: z.object({
    id: z
      .string()
      .trim()
      .regex(/^[0-9a-fA-F]{64}$/, 'A transaction ID is 64 hexadecimal characters (0-9 and a-f).'),
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
    if (mine?.status === 'held' && mine.broadcastAfter !== null)
      return reply(
        'public',
        notice(
          'info',
          `Transaction ${shortId(id)} is signed and waits out its undo window: it goes to the network in ${minutesUntil(mine.broadcastAfter, ctx.services.wallet.config.now())} unless you say "undo".`,
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
