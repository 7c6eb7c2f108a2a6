import { txFingerprint } from '../../pactus/fingerprint.js';
import { notice, reply, text, type Reply } from '../../agents/reply.js';
import type { OutboxRow } from '../../wallet/outbox.js';

const KIND_NAMES: Record<string, string> = {
  transfer: 'transfer',
  batch_transfer: 'batch transfer',
  bond: 'stake',
  unbond: 'unstake',
  withdraw: 'withdrawal',
};

export type NotificationRenderer = (row: OutboxRow) => Reply | null;

/** Outbox rows in words; domains (governance, rewards) register renderers for their own kinds. */
export class Notifications {
  private readonly renderers = new Map<string, NotificationRenderer>();

  constructor() {
    this.register('draft_outcome', (row) => {
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
    });
    this.register('wallet_linked', (row) => {
      const p = row.payload as { address: string };
      return reply('private', notice('success', `${p.address} is now linked to your account.`));
    });
  }

  register(kind: string, renderer: NotificationRenderer): void {
    this.renderers.set(kind, renderer);
  }

  render(row: OutboxRow): Reply | null {
    return this.renderers.get(row.kind)?.(row) ?? null;
  }
}
