import { txFingerprint } from '../../pactus/fingerprint.js';
import type { OutboxRow } from '../../wallet/outbox.js';
import { fields, notice, reply, text, type Reply } from '../reply.js';
import { pacText } from '../../pactus/amount.js';
import { durationWords } from '../../pactus/time-words.js';
import {
  announcementReply,
  verifyBlocks,
  verifyHint,
  type AnnouncementPayload,
  type VerifyHint,
  type VerifyLinks,
} from './governance.js';
import { voteButtons } from '../actions/governance.js';

const KIND_NAMES: Record<string, string> = {
  transfer: 'transfer',
  batch_transfer: 'batch transfer',
  bond: 'stake',
  unbond: 'unstake',
  withdraw: 'withdrawal',
};

/** A proposal the person can vote on: opened, or closing soon without their vote; with the vote buttons. */
function proposalAlert(row: OutboxRow, event: 'opened' | 'closing'): Reply {
  const p = row.payload as { proposalId: number; title: string; endsAt: number; power: string };
  const left = durationWords(Math.max(0, p.endsAt - Date.now()));
  return {
    ...reply(
      'private',
      notice(
        'info',
        event === 'opened'
          ? `DAO proposal #${p.proposalId} is open for voting: ${p.title}. You can vote with ${pacText(BigInt(p.power))}; voting closes in ${left}.`
          : `DAO proposal #${p.proposalId} (${p.title}) closes in ${left} and you have not voted. You can vote with ${pacText(BigInt(p.power))}.`,
      ),
      text('Say "alerts off proposals" to stop these messages.'),
    ),
    buttons: voteButtons(p.proposalId),
  };
}

export type NotificationRenderer = (row: OutboxRow) => Reply | null;

const epochHint = (
  epoch: number,
  deployment: VerifyHint['deployment'] | undefined,
  links: VerifyLinks | undefined,
): VerifyHint => verifyHint('epoch', `/compute/epochs/${epoch}/bundle.json`, deployment, links);

/**
 * Every outbox kind in words, by kind. `bundleUrl` points announcements of finished proposals at their public
 * result bundle; `links` makes announcements print the exact command that verifies them.
 */
export function notificationRenderers(
  bundleUrl: (proposalId: number) => string,
  links?: VerifyLinks,
): Record<string, NotificationRenderer> {
  return {
    draft_outcome: (row) => {
      const p = row.payload as {
        draftKind: string;
        status: string;
        txId: string | null;
        blockHeight: number | null;
        reason: string | null;
      };
      const what = `Your ${KIND_NAMES[p.draftKind] ?? p.draftKind}${p.txId ? ` (${txFingerprint(p.txId)})` : ''}`;
      if (p.status === 'confirmed')
        return reply(
          'private',
          notice('success', `${what} is confirmed in block ${p.blockHeight}.`),
          ...(p.txId ? [text(`Transaction ID: ${p.txId}`)] : []),
        );
      return reply('private', notice('error', `${what} failed: ${p.reason ?? 'unknown reason'}.`));
    },
    draft_stalled: (row) => {
      const p = row.payload as {
        draftKind: string;
        txId: string;
        sinceHeight: number;
        lastHeight: number | null;
        fee?: string;
        minimumFee?: string;
      };
      const what = KIND_NAMES[p.draftKind] ?? p.draftKind;
      // The tracker found the fee below the node's minimum: say so, and what to do, once.
      const cause = p.minimumFee
        ? `Its fee of ${pacText(BigInt(p.fee ?? '0'))} is below that node's minimum of ${pacText(BigInt(p.minimumFee))}, so it will not be mined as it is: ask me for the same ${what} again and sign the new draft, which carries the current fee.`
        : `The usual cause is a fee below that node's minimum.`;
      return reply(
        'private',
        notice(
          'warning',
          `Your ${what} (${txFingerprint(p.txId)}) was accepted by the node but is not being mined: it has been in neither the pool nor a block since block ${p.sinceHeight}. ${cause} I will still send it again now and then, less often as time passes${p.lastHeight ? `, until block ${p.lastHeight}, after which it can never be included` : ''}; nothing was taken from your balance.`,
        ),
      );
    },
    incoming_transfer: (row) => {
      const p = row.payload as {
        txId: string;
        from: string;
        to: string;
        amount: string;
        memo: string;
        height: number;
      };
      return reply(
        'private',
        notice('success', `You received ${pacText(BigInt(p.amount))} on ${p.to}.`),
        fields([
          { label: 'From', value: p.from, code: true },
          ...(p.memo ? [{ label: 'Memo (written by the sender)', value: p.memo }] : []),
          { label: 'Block', value: String(p.height) },
          { label: 'Transaction', value: p.txId, code: true },
        ]),
        text('Say "alerts off incoming" to stop these messages.'),
      );
    },
    stake_withdrawable: (row) => {
      const p = row.payload as { validator: string; stake: string; since: number; to: string | null };
      return {
        ...reply(
          'private',
          notice(
            'success',
            `The ${pacText(BigInt(p.stake))} unbonded from ${p.validator} can be withdrawn now (since block ${p.since}).`,
          ),
          text('Say "alerts off withdrawable" to stop these messages.'),
        ),
        buttons: [
          {
            type: 'action',
            label: 'Withdraw it',
            action: 'withdraw',
            args: { validator: p.validator, amount: 'all', ...(p.to && { to: p.to }) },
            style: 'primary',
          },
        ],
      };
    },
    validator_committee: (row) => {
      const p = row.payload as { validator: string; joined: boolean; height: number };
      return reply(
        'private',
        notice(
          p.joined ? 'success' : 'info',
          p.joined
            ? `Your validator ${p.validator} joined the committee at block ${p.height}: it now proposes and signs blocks.`
            : `Your validator ${p.validator} left the committee at block ${p.height}; it can be drawn again by sortition.`,
        ),
        text('Say "alerts off validator" to stop these messages.'),
      );
    },
    validator_availability: (row) => {
      const p = row.payload as {
        validator: string;
        score: number;
        threshold: number;
        low: boolean;
        height: number;
      };
      const percent = (x: number) => `${(x * 100).toFixed(1)}%`;
      return reply(
        'private',
        p.low
          ? notice(
              'warning',
              `The availability score of your validator ${p.validator} fell to ${percent(p.score)} (below ${percent(p.threshold)}) at block ${p.height}. It is missing its committee rounds: check that the node is online and in sync. Below this score it is skipped as proposer.`,
            )
          : notice(
              'success',
              `The availability score of your validator ${p.validator} is back to ${percent(p.score)} at block ${p.height}.`,
            ),
        text('Say "alerts off validator" to stop these messages.'),
      );
    },
    compute_epoch: (row) => {
      const p = row.payload as {
        deployment?: { operator: string; version: number } | null;
        epoch: number;
        root: string;
        budget: string;
        receipts: number;
        shares: Record<string, string>;
        zeroed: Record<string, string>;
        /** Contributors that claimed more tokens than the bot counted (older rows have none). */
        flagged?: string[];
        /** How many requests were re-run on other contributors (older rows have none). */
        spotChecks?: number;
      };
      const flagged = p.flagged ?? [];
      return reply(
        'public',
        notice(
          'info',
          `Compute epoch ${p.epoch} closed: ${p.receipts} receipts, budget ${pacText(BigInt(p.budget))}.` +
            (p.spotChecks === undefined
              ? ''
              : ` ${p.spotChecks} ${p.spotChecks === 1 ? 'request was' : 'requests were'} re-run on other contributors as spot checks.`),
        ),
        ...(flagged.length
          ? [
              text(
                `Claimed more tokens than the bot counted, so credited the count only: ${flagged.join(', ')}.`,
              ),
            ]
          : []),
        fields(
          [
            ...Object.entries(p.shares).map(([address, share]) => ({
              label: address,
              value: pacText(BigInt(share)),
              code: true,
            })),
            ...Object.entries(p.zeroed).map(([address, why]) => ({ label: address, value: `0 PAC: ${why}` })),
            { label: 'Root', value: p.root, code: true },
          ],
          'Shares',
        ),
        ...verifyBlocks(epochHint(p.epoch, p.deployment, links)),
      );
    },
    proposal_opened: (row) => proposalAlert(row, 'opened'),
    proposal_closing: (row) => proposalAlert(row, 'closing'),
    schedule_due: (row) => {
      const p = row.payload as {
        scheduleId: number;
        dueAt: number;
        to: string;
        name: string | null;
        amount: string;
      };
      return {
        ...reply(
          'private',
          notice(
            'info',
            `Your recurring payment #${p.scheduleId} is due: ${pacText(BigInt(p.amount))} to ${p.name ? `${p.name} (${p.to})` : p.to}.`,
          ),
          text('Press the button for a fresh signing link. Nothing was signed in advance.'),
        ),
        buttons: [
          {
            type: 'action',
            label: 'Get the signing link',
            action: 'schedule_pay',
            args: { schedule: String(p.scheduleId), due: String(p.dueAt) },
            style: 'primary',
          },
        ],
      };
    },
    wallet_linked: (row) =>
      reply('private', notice('success', `${String(row.payload.address)} is now linked to your account.`)),
    proposal_notice: (row) => reply('private', notice('info', String(row.payload.text))),
    proposal_announcement: (row) => {
      const payload = row.payload as unknown as AnnouncementPayload;
      const finished =
        payload.event === 'closed' ||
        payload.event === 'vetoed' ||
        payload.event === 'anchored' ||
        payload.event === 'final';
      return announcementReply(payload, finished ? bundleUrl(payload.proposalId) : undefined, links);
    },
  };
}
