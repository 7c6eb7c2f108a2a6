// The database remembers which chain it belongs to (the hash of block 1); a different chain ends its open drafts.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { CHAIN_RESTARTED, checkChainIdentity, draftById } from '../../../wallet/index.js';
import { startStack, type Stack } from '../../support/stack.js';
import { PAC, devnetAccount } from '../../support/txs.js';
import { rows } from '../../support/db.js';

let s: Stack;
beforeAll(async () => {
  s = await startStack();
});
afterAll(() => s.close());

it('the same chain changes nothing; another chain ends pending drafts with the reason, once', async () => {
  const genesis = (await s.client.getBlock(1)).hash;
  expect(await checkChainIdentity(s.db, genesis, Date.now())).toEqual({ changed: false, ended: 0 });
  const draft = await s.wallet.drafting.transfer(await s.account('identity'), {
    from: devnetAccount(s.devnet, 'ed25519-account', 0).address.toString('testnet'),
    to: devnetAccount(s.devnet, 'ed25519-account', 1).address.toString('testnet'),
    amount: PAC,
  });
  expect(await checkChainIdentity(s.db, genesis, Date.now())).toEqual({ changed: false, ended: 0 });
  expect((await draftById(s.db, draft.draftId))!.status).toBe('pending');

  expect(await checkChainIdentity(s.db, 'ff'.repeat(32), Date.now())).toEqual({ changed: true, ended: 1 });
  expect(await draftById(s.db, draft.draftId)).toMatchObject({
    status: 'failed',
    failureReason: CHAIN_RESTARTED,
  });
  const notes = await rows(s.db, "SELECT payload FROM outbox WHERE kind = 'draft_outcome'");
  expect(notes).toHaveLength(1);
  expect(await checkChainIdentity(s.db, 'ff'.repeat(32), Date.now())).toEqual({ changed: false, ended: 0 });
});
