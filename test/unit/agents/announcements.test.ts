import { expect, it } from 'vitest';
import { notificationRenderers } from '../../../agents/render/notifications.js';
import { replyToText } from '../../../agents/reply.js';
import type { OutboxRow } from '../../../wallet/outbox.js';
import { bundleOf, closedPost } from '../../../compute/epoch.js';
import { receiptLeaf } from '../../../compute/receipt.js';
import { receiptKey, testReceipt, TINY_MODEL, validatorOf } from '../../support/receipts.js';

const links = { baseUrl: () => 'https://bot.example', node: null };
const render = notificationRenderers((id) => `https://bot.example/proposals/${id}/bundle.json`, links);
const deployment = { operator: 'tpc1zoperator', version: 3 };
const row = (payload: Record<string, unknown>) => ({ payload }) as unknown as OutboxRow;
const tally = { yes: '0', no: '0', abstain: '0', cast: '0', quorum: '0', outcome: 'no_quorum' };
const proposal = {
  proposalId: 4,
  title: 'T',
  body: 'B',
  hash: 'h',
  snapshotHash: 's',
  snapshotHeight: 1,
  endsAt: 0,
  vetoEndsAt: 0,
  outcome: null,
  tally,
};

it('every announcement names the deployment and prints the exact command that checks it', () => {
  const command =
    'npx pactus-bot verify-proposal https://bot.example/proposals/4/bundle.json --deployment tpc1zoperator --node <host:port of a Pactus node you trust>';
  for (const event of ['opened', 'closed', 'vetoed', 'anchored', 'final']) {
    const text = replyToText(render.proposal_announcement!(row({ ...proposal, event, deployment }))!);
    expect(text, event).toContain('tpc1zoperator (manifest version 3)');
    expect(text, event).toContain(command);
  }
  const epoch = replyToText(
    render.compute_epoch!(
      row({ deployment, epoch: 9, root: 'r', budget: '1', receipts: 2, shares: {}, zeroed: {} }),
    )!,
  );
  expect(epoch).toContain(
    'npx pactus-bot verify-epoch https://bot.example/compute/epochs/9/bundle.json --deployment tpc1zoperator --node',
  );
  // Without an operator nothing can be checked on chain, and the post says so instead of printing a command.
  const bare = replyToText(
    render.proposal_announcement!(row({ ...proposal, event: 'closed', deployment: null }))!,
  );
  expect(bare).toMatch(/no operator \(OPERATOR_ADDRESS\)/);
  expect(bare).not.toContain('npx pactus-bot');
});

it('the epoch-closed post names who was zeroed, who claimed beyond the count, and how many spot checks ran', () => {
  const post = (payload: Record<string, unknown>) =>
    replyToText(
      render.compute_epoch!(
        row({ deployment, epoch: 9, root: 'r', budget: '1000000000', receipts: 5, shares: {}, ...payload }),
      )!,
    );
  const text = post({
    shares: { tpc1honest: '1000000000' },
    zeroed: { tpc1liar: 'its answer differed from two other contributors on a spot check' },
    flagged: ['tpc1inflater'],
    spotChecks: 3,
  });
  expect(text).toContain('tpc1liar');
  expect(text).toMatch(/0 PAC: its answer differed from two other contributors on a spot check/);
  expect(text).toMatch(/more tokens than the bot counted, so credited the count only: tpc1inflater/);
  expect(text).toMatch(/3 requests were re-run on other contributors as spot checks/);
  expect(post({ zeroed: {}, flagged: [], spotChecks: 1 })).toMatch(/1 request was re-run/);
  // A row written before metering (no flags, no count) still renders, without claiming anything about either.
  const old = post({ zeroed: {} });
  expect(old).not.toMatch(/spot check|counted/);
});

it('the post the bot writes at a close carries the flagged contributors and the checks that re-ran, not the others', () => {
  const [a, b] = [receiptKey(1), receiptKey(2)];
  const receipts = [testReceipt(a, 1), testReceipt(b, 2), testReceipt(b, 3)];
  const leaf = (i: number) => receiptLeaf(receipts[i]!);
  const check = (i: number, reruns: string[]) => ({
    request: receipts[i]!.requestHash,
    leaf: leaf(i),
    contributor: receipts[i]!.contributor,
    reruns,
    outcome: reruns.length ? ('pass' as const) : ('unchecked' as const),
    failed: null,
    detail: '',
  });
  const books = {
    epoch: 4,
    startHeight: 40,
    endHeight: 50,
    rewardPerBlock: 1n,
    models: { [TINY_MODEL]: 1n },
    receipts,
    zeroed: {},
    flagged: { [leaf(1)]: 'claimed more', [leaf(2)]: 'claimed more' },
    spotChecks: { ratePpm: 1, seed: 's', commitment: 'c', checks: [check(0, [leaf(1)]), check(2, [])] },
  };
  const post = closedPost(bundleOf(books, 'testnet'));
  expect(post.flagged).toEqual([validatorOf(b)]);
  expect(post.spotChecks).toBe(1);
  const text = replyToText(render.compute_epoch!(row(post))!);
  expect(text).toContain(`credited the count only: ${validatorOf(b)}`);
  expect(text).toMatch(/1 request was re-run/);
});
