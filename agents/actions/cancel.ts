// "/cancel": the person's pending drafts, each with what it would do (amount and recipient, or the ballot) and the
// short id its own command uses ("/cancel a57ae2db"), the same id the list shows; "/cancel all" cancels them all.
import { z } from 'zod';
import { pacText } from '../../pactus/amount.js';
import { decodeTransactionHex } from '../../pactus/tx-decode.js';
import { PayloadType } from '../../pactus/tx-types.js';
import type { DraftRow } from '../../wallet/drafts.js';
import { contactsOf } from '../../wallet/contacts.js';
import { cancelDraft, pendingDraftsOf } from '../../wallet/index.js';
import type { ActionContext } from '../context.js';
import { defineAction } from '../registry.js';
import { fields, notice, reply, text, type Button, type Reply } from '../reply.js';
import { minutesUntil } from './format.js';

/** Buttons in one answer (the rest are cancelled by typing their command). */
const MAX_BUTTONS = 10;

/** The id a draft is known by in chat: its transaction ID's first 8 characters, or its own for a message. */
export function draftHandle(d: Pick<DraftRow, 'id' | 'txId'>): string {
  return (d.txId ?? d.id.replace(/-/g, '')).slice(0, 8);
}

/** What a pending draft would do, in words: "send 5 PAC to alice (tpc1...)". */
export function describeDraft(
  d: DraftRow,
  names: Map<string, string>,
  network: ActionContext['services']['network'],
): string {
  const who = (address: string) => (names.has(address) ? `${names.get(address)} (${address})` : address);
  if (d.unsignedTx) {
    const p = decodeTransactionHex(d.unsignedTx).payload;
    if (p.type === PayloadType.Transfer) return `send ${pacText(p.amount)} to ${who(p.to.toString(network))}`;
    if (p.type === PayloadType.BatchTransfer) {
      const total = p.recipients.reduce((sum, r) => sum + r.amount, 0n);
      const each = p.recipients
        .map((r) => `${pacText(r.amount)} to ${who(r.to.toString(network))}`)
        .join(', ');
      return `batch of ${p.recipients.length} payments, ${pacText(total)} in all: ${each}`;
    }
    if (p.type === PayloadType.Bond) return `stake ${pacText(p.stake)} on ${p.to.toString(network)}`;
    if (p.type === PayloadType.Unbond) return `unstake ${p.validator.toString(network)}`;
    if (p.type === PayloadType.Withdraw)
      return `withdraw ${pacText(p.amount)} from ${p.from.toString(network)} to ${who(p.to.toString(network))}`;
    return d.kind.replace('_', ' ');
  }
  const meta = (d.meta ?? {}) as { proposalId?: number; choice?: string; address?: string };
  if (d.kind === 'ballot') return `vote ${meta.choice ?? ''} on proposal #${meta.proposalId ?? '?'}`;
  if (d.kind === 'proposal') return `open proposal #${meta.proposalId ?? '?'}`;
  if (d.kind === 'veto') return `veto proposal #${meta.proposalId ?? '?'}`;
  if (d.kind === 'link_wallet') return `link ${meta.address ?? d.signer}`;
  return d.kind.replace('_', ' ');
}

async function listReply(ctx: ActionContext, pending: DraftRow[]): Promise<Reply> {
  const now = ctx.services.wallet.config.now();
  const book = await contactsOf(ctx.services.wallet.db, ctx.caller.chatAccountId);
  const names = new Map(book.map((c) => [c.address, c.name]));
  const buttons: Button[] = pending.slice(0, MAX_BUTTONS).map((d) => ({
    type: 'action',
    label: `Cancel ${draftHandle(d)}`,
    action: 'cancel',
    args: { draft: draftHandle(d) },
    style: 'danger',
  }));
  if (pending.length > 1)
    buttons.push({
      type: 'action',
      label: `Cancel all ${pending.length}`,
      action: 'cancel',
      args: { draft: 'all' },
      style: 'danger',
    });
  return {
    visibility: 'private',
    blocks: [
      fields(
        pending.map((d) => ({
          label: draftHandle(d),
          value: `${describeDraft(d, names, ctx.services.network)}; link expires in ${minutesUntil(d.expiresAt, now)}. To cancel: /cancel ${draftHandle(d)}`,
        })),
        `Your pending drafts (${pending.length})`,
      ),
      ...(pending.length > MAX_BUTTONS
        ? [text(`The buttons cover the newest ${MAX_BUTTONS}; cancel the others with their command.`)]
        : []),
    ],
    buttons,
  };
}

export const cancel = defineAction({
  name: 'cancel',
  description: 'Cancel one of your pending drafts, or list them.',
  schema: z.object({
    draft: z
      .string()
      .trim()
      .min(1)
      .max(64)
      .regex(/^(?:all|[0-9a-f-]{6,64})$/i, 'A draft id is the short code /cancel shows, like a57ae2db.')
      .optional(),
  }),
  personal: true,
  hiddenFromModel: true,
  examples: ['/cancel', '/cancel all'],
  async run(ctx, input) {
    const { db, config } = ctx.services.wallet;
    const pending = await pendingDraftsOf(db, ctx.caller.chatAccountId);
    if (!input.draft) {
      if (pending.length === 0) return reply('private', text('You have no pending drafts to cancel.'));
      return listReply(ctx, pending);
    }
    const wanted = input.draft.toLowerCase();
    const chosen =
      wanted === 'all'
        ? pending
        : pending.filter(
            (d) =>
              d.id === wanted ||
              draftHandle(d).startsWith(wanted) ||
              (wanted.length >= 8 && (d.txId ?? '').startsWith(wanted)),
          );
    if (chosen.length === 0)
      return reply(
        'private',
        notice(
          'info',
          wanted === 'all'
            ? 'You have no pending drafts to cancel.'
            : `No pending draft of yours has the id ${wanted.slice(0, 16)}: it is not yours, or it was signed, expired or cancelled already. Say /cancel to see your list.`,
        ),
      );
    if (chosen.length > 1 && wanted !== 'all')
      return reply(
        'private',
        notice('warning', `${wanted} matches ${chosen.length} drafts; give more of its id.`),
      );
    const book = await contactsOf(db, ctx.caller.chatAccountId);
    const names = new Map(book.map((c) => [c.address, c.name]));
    const lines: string[] = [];
    for (const d of chosen) {
      const done = await cancelDraft(db, d.id, ctx.caller.chatAccountId, config.now());
      const what = `${draftHandle(d)} (${describeDraft(d, names, ctx.services.network)})`;
      lines.push(
        done
          ? `Cancelled ${what}: its signing link no longer works.`
          : `Could not cancel ${what} any more: it was just signed or expired.`,
      );
    }
    return reply('private', notice('success', lines.join('\n')));
  },
});
