import { txFingerprint } from '../../pactus/fingerprint.js';
import type { OutboxRow } from '../../wallet/outbox.js';
import { notice, reply, text, type Reply } from '../reply.js';
import type { NotificationRenderer } from './notifications.js';

const KIND_NAMES: Record<string, string> = {
  transfer: 'transfer',
  batch_transfer: 'batch transfer',
  bond: 'stake',
  withdraw: 'withdrawal',
  unbond: 'unstake',
};

const what = (p: { draftKind: string; txId: string | null }) =>
  `Your ${KIND_NAMES[p.draftKind] ?? p.draftKind}${p.txId ? ` (${txFingerprint(p.txId)})` : ''}`;

/** The chat's side of the undo window: the Cancel button while a signed transaction is held, and a page cancel. */
export function undoRenderers(now: () => number): Record<string, NotificationRenderer> {
  return {
    draft_held: (row: OutboxRow): Reply => {
      const p = row.payload as {
        draftId: string;
        draftKind: string;
        txId: string | null;
        broadcastAfter: number;
      };
      const left = Math.max(0, Math.ceil((p.broadcastAfter - now()) / 1000));
      return {
        ...reply(
          'private',
          notice(
            'info',
            left > 0
              ? `${what(p)} is signed. It goes to the network in ${left} second${left === 1 ? '' : 's'}: press Cancel before then and nothing is sent.`
              : `${what(p)} is signed, and its undo window has ended.`,
          ),
          text('Or say "undo".'),
        ),
        buttons: [
          { type: 'action', label: 'Cancel', action: 'undo', args: { draft: p.draftId }, style: 'danger' },
        ],
      };
    },
    draft_undone: (row: OutboxRow): Reply => {
      const p = row.payload as { draftKind: string; txId: string | null };
      return reply(
        'private',
        notice('success', `${what(p)} was cancelled on the signing page: nothing was sent.`),
      );
    },
  };
}
