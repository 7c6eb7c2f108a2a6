import { describeTransaction } from '../../pactus/describe.js';
import type { Network } from '../../pactus/network.js';
import type { DraftResult, LinkChallenge } from '../../wallet/index.js';
import { minutesUntil } from '../actions/format.js';
import { fields, notice, text, type Reply } from '../reply.js';

/**
 * A draft as the chat shows it, rendered by code from the decoded transaction (never described by a model),
 * with the same check words the signer page computes from the bytes.
 */
export function draftReply(draft: DraftResult, network: Network): Reply {
  const summary = describeTransaction(draft.tx, network);
  const rows = summary.rows.filter((r) => r.label !== 'Valid from block');
  const blocks = [
    text(`Review and sign: ${summary.title}`),
    fields(rows.map((r) => ({ label: r.label, value: r.value, code: /^t?(pc|public)1/.test(r.value) }))),
    notice(
      'info',
      `Check words: ${draft.fingerprint}. The link works once and expires in ${minutesUntil(draft.expiresAt)}. Your key stays in your browser.`,
    ),
  ];
  for (const note of draft.notes) blocks.push(notice('warning', note));
  if (draft.signerUnlinked)
    blocks.push(
      notice('warning', `${draft.signer} is not one of your linked wallets: only its own key can sign this.`),
    );
  return {
    visibility: 'private',
    blocks,
    buttons: [
      { type: 'link', label: 'Open signing page', url: draft.url },
      { type: 'action', label: 'Cancel', action: 'cancel', args: { draft: draft.draftId }, style: 'danger' },
    ],
  };
}

export function linkChallengeReply(challenge: LinkChallenge): Reply {
  return {
    visibility: 'private',
    blocks: [
      text(
        `To link ${challenge.address}, sign this message with its key on the signing page. Signing a message moves no funds.`,
      ),
      notice(
        'info',
        `Check words: ${challenge.fingerprint}. The link works once and expires in ${minutesUntil(challenge.expiresAt)}.`,
      ),
    ],
    buttons: [{ type: 'link', label: 'Open signing page', url: challenge.url }],
  };
}
