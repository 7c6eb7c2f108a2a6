// Vote delegation in chat: delegate, revoke, and who delegates to whom (governance/delegations.ts does the work).
// Not offered to the language model (its tool prompt is at its 400-token budget): the rules, commands and buttons
// reach them.
import { z } from 'zod';
import { parseAddressFor } from '../../pactus/address.js';
import { pacText as pac } from '../../pactus/amount.js';
import type { DraftedDelegation } from '../../governance/delegations.js';
import { linkedAddressesOf } from '../../wallet/accounts.js';
import { WalletError } from '../../wallet/errors.js';
import { requester, type ActionContext } from '../context.js';
import { defineAction, type Action } from '../registry.js';
import { knownAddressesOf, lookAlikeWarning, resemblance } from '../../wallet/look-alike.js';
import { fields, notice, reply, text, type Block, type Field, type Reply } from '../reply.js';
import { governanceOf } from './governance.js';
import { askingAboutRecipients, buttonArgs, contactByName, isNameLike } from './recipients.js';

const addressList = z
  .string()
  .trim()
  .max(1000)
  .optional()
  .describe('Addresses whose votes these are, comma-separated (default: your linked ones)');
const split = (list: string | undefined) => list?.split(/[\s,]+/).filter(Boolean);

/** The address asked about, or the caller's linked ones. */
async function mine(ctx: ActionContext, address?: string): Promise<string[]> {
  const { network } = ctx.services;
  if (address) return [parseAddressFor(address, network).toString(network)];
  const linked = (await linkedAddressesOf(ctx.services.wallet.db, ctx.caller.chatAccountId)).map(
    (a) => a.address,
  );
  if (linked.length === 0)
    throw new WalletError(
      'no_wallet',
      'Link the address that holds your stake (your validator address) first: "link tpc1p...".',
    );
  return linked;
}

function signingReply(result: DraftedDelegation, intro: string, lines: Field[], extra: string[]): Reply {
  const open = result.open.length
    ? ` Open proposals (${result.open.map((id) => `#${id}`).join(', ')}) keep what was in force when they were snapshotted.`
    : '';
  return {
    visibility: 'private',
    blocks: [
      text(intro),
      ...(lines.length ? [fields(lines)] : []),
      notice('info', [`Check words: ${result.fingerprint}.${open}`, ...extra].join(' ')),
    ],
    buttons: [{ type: 'link', label: 'Open signing page', url: result.link.url }],
  };
}

export const delegateAction = defineAction({
  name: 'delegate',
  description: 'Let another address vote with your DAO voting power (revocable).',
  schema: z.object({
    to: z
      .string()
      .trim()
      .min(1)
      .max(100)
      .describe('The address that votes for you, or a name from your contacts'),
    from: addressList,
  }),
  personal: true,
  hiddenFromModel: true,
  examples: ['delegate my votes to tpc1...', 'let tpc1... vote for me'],
  async run(ctx, input) {
    return askingAboutRecipients(
      'delegate',
      (to) => buttonArgs({ ...input, to }),
      () => delegateTo(ctx, input),
      (to) => `Delegate my votes to ${to}`,
    );
  },
});

/**
 * The delegate as typed, resolved as a payment's recipient is: a name from the person's own book (a name it does
 * not have is a question with the nearest saved one), an address checked against the addresses they know, since
 * a look-alike of a contact takes their votes as surely as their money.
 */
async function delegateFor(ctx: ActionContext, typed: string): Promise<{ address: string; notes: Block[] }> {
  const lower = typed.trim().toLowerCase();
  if (lower === 'me' || lower === 'myself')
    throw new WalletError(
      'self_delegation',
      'Your votes are yours already: a delegation hands them to another address. Say "delegate my votes to tpc1..." or to a contact\'s name.',
    );
  const contact = isNameLike(lower) ? await contactByName(ctx, lower) : null;
  const address = contact?.address ?? lower;
  const notes: Block[] = [];
  if (contact) notes.push(notice('info', `${lower} is ${contact.address} (from your contacts).`));
  const known = await knownAddressesOf(
    ctx.services.wallet.db,
    ctx.caller.chatAccountId,
    ctx.services.network,
  );
  const similar = resemblance(address, known);
  if (similar)
    notes.push(
      notice('warning', lookAlikeWarning(contact ? `${lower}'s address` : 'this address', address, similar)),
    );
  return { address: contact ? contact.address : typed, notes };
}

async function delegateTo(ctx: ActionContext, input: { to: string; from?: string }): Promise<Reply> {
  const gov = governanceOf(ctx);
  const delegate = await delegateFor(ctx, input.to);
  const result = await gov.delegate(requester(ctx.caller), { to: delegate.address, from: split(input.from) });
  const [theirs] = await gov.delegationStatus([result.delegate!]);
  const onward = theirs?.current?.delegate
    ? [
        `${result.delegate} itself delegates to ${theirs.current.delegate}; delegation goes one level only, so your votes count only on ballots ${result.delegate} signs itself.`,
      ]
    : [];
  const answer = signingReply(
    result,
    `Sign to let ${result.delegate} vote with the power of ${result.holders.length > 1 ? 'these addresses' : 'this address'} on proposals snapshotted after you sign (valid from block ${result.height}). If you vote on a proposal yourself, before or after ${result.delegate} does, your own ballot counts instead. You can revoke it at any time.`,
    result.holders.map((h) => ({ label: h.address, value: `${pac(h.power)} now (${h.why})` })),
    onward,
  );
  return { ...answer, blocks: [...delegate.notes, ...answer.blocks] };
}

export const revokeDelegationAction = defineAction({
  name: 'revoke_delegation',
  description: 'Take back your DAO vote delegation.',
  schema: z.object({ from: addressList }),
  personal: true,
  hiddenFromModel: true,
  examples: ['revoke my delegation'],
  async run(ctx, input) {
    const gov = governanceOf(ctx);
    const result = await gov.revoke(requester(ctx.caller), { from: split(input.from) });
    const status = await gov.delegationStatus(result.holders.map((h) => h.address));
    return signingReply(
      result,
      `Sign to revoke the delegation of ${result.holders.length > 1 ? 'these addresses' : 'this address'}: proposals snapshotted after you sign count only your own ballots.`,
      status.map((s) => ({ label: s.address, value: `delegates to ${s.current?.delegate} now` })),
      [],
    );
  },
});

export const delegationAction = defineAction({
  name: 'delegation',
  description: 'Who your DAO votes are delegated to.',
  schema: z.object({ address: z.string().trim().max(100).optional() }),
  personal: (input) => !input.address,
  hiddenFromModel: true,
  examples: ['who do I delegate to', 'my delegation'],
  async run(ctx, input) {
    const status = await governanceOf(ctx).delegationStatus(await mine(ctx, input.address));
    const lines: Field[] = status.map((s) => ({
      label: s.address,
      value: !s.current
        ? 'votes only for itself (it never delegated)'
        : s.current.delegate
          ? `delegates to ${s.current.delegate} (valid from block ${s.current.height})`
          : `votes only for itself (revoked at block ${s.current.height})`,
    }));
    const frozen = status.flatMap((s) =>
      s.frozen.map(
        (f) =>
          `proposal #${f.proposalId} counts ${s.address} as ${f.delegate ? `delegating to ${f.delegate}` : 'not delegating'}, as at its snapshot`,
      ),
    );
    return reply(
      input.address ? 'public' : 'private',
      fields(lines, 'Vote delegation'),
      notice(
        'info',
        [
          frozen.length
            ? `Open proposals keep what was in force at their snapshot: ${frozen.join('; ')}.`
            : '',
          'Your own ballot always counts instead of a delegation. Change it with "delegate my votes to tpc1..." or "revoke my delegation".',
        ]
          .filter(Boolean)
          .join(' '),
      ),
    );
  },
});

export const delegatorsAction = defineAction({
  name: 'delegators',
  description: 'Who delegates DAO votes to you, and their power.',
  schema: z.object({ address: z.string().trim().max(100).optional() }),
  personal: (input) => !input.address,
  hiddenFromModel: true,
  examples: ['my delegators', 'who delegates to me'],
  async run(ctx, input) {
    const gov = governanceOf(ctx);
    const found = await gov.delegators(await mine(ctx, input.address));
    const visibility = input.address ? 'public' : 'private';
    if (found.now.length === 0 && !found.proposal?.lines.length)
      return reply(visibility, text('Nobody delegates their votes to you.'));
    const blocks = [];
    if (found.now.length)
      blocks.push(
        fields(
          found.now.map((l) => ({ label: l.holder, value: `${pac(l.power)} now, to ${l.delegate}` })),
          `Delegating to you now: ${pac(found.now.reduce((s, l) => s + l.power, 0n))}`,
        ),
      );
    const p = found.proposal;
    if (p?.lines.length) {
      const counted = p.lines.filter((l) => !l.votedItself);
      blocks.push(
        fields(
          p.lines.map((l) => ({
            label: l.holder,
            value: `${pac(l.power)}${l.votedItself ? ', voted itself (its own ballot counts instead)' : ''}`,
          })),
          `In proposal #${p.id}'s snapshot (block ${p.snapshotHeight}): ${pac(counted.reduce((s, l) => s + l.power, 0n))} on your ballot`,
        ),
      );
    }
    blocks.push(
      notice(
        'info',
        `Delegated power counts on your ballot unless the holder votes itself; one ballot still weighs at most ${pac(gov.config.rules.ballotCap)}, your own power and delegated power together.`,
      ),
    );
    return { visibility, blocks, buttons: [] };
  },
});

export const delegationActions: Action[] = [
  delegateAction,
  revokeDelegationAction,
  delegationAction,
  delegatorsAction,
] as Action[];
