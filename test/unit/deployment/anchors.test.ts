import { base64urlnopad } from '@scure/base';
import fc from 'fast-check';
import { expect, it } from 'vitest';
import {
  anchorMemo,
  checkAnchorBytes,
  parseAnchorMemo,
  type AnchorKind,
} from '../../../deployment/anchors.js';
import { bytesToHex } from '../../../pactus/bytes.js';
import {
  MAX_MEMO_BYTES,
  PayloadType,
  encodeTransactionHex,
  newTransaction,
  signTransaction,
  transactionId,
} from '../../../pactus/tx.js';
import { operatorKey, operatorOf, signAnchor } from '../../support/deployment.js';

const kinds: AnchorKind[] = ['manifest', 'result', 'final', 'epoch'];
const hash = fc.uint8Array({ minLength: 32, maxLength: 32 }).map(bytesToHex);

it('memos round-trip for every kind, subject and hash, within 64 bytes; anything else is not an anchor', () => {
  fc.assert(
    fc.property(
      fc.constantFrom(...kinds),
      fc.integer({ min: 0, max: 999_999_999 }),
      hash,
      (kind, subject, h) => {
        const memo = anchorMemo(kind, subject, h);
        expect(memo.length).toBeLessThanOrEqual(MAX_MEMO_BYTES);
        expect(parseAnchorMemo(memo)).toEqual({ kind, subject, hash: h });
        // One character changed anywhere: another anchor or none, never this one.
        for (let i = 0; i < memo.length; i++) {
          const changed = `${memo.slice(0, i)}${memo[i] === 'A' ? 'B' : 'A'}${memo.slice(i + 1)}`;
          expect(parseAnchorMemo(changed)).not.toEqual({ kind, subject, hash: h });
        }
      },
    ),
    { numRuns: 60 },
  );
  const h = '00'.repeat(32);
  // A non-canonical base64 tail (same bytes, other last character) is refused, as are old and foreign formats.
  const memo = anchorMemo('result', 1, 'ff'.repeat(32));
  expect(parseAnchorMemo(`${memo.slice(0, -1)}_`)).toBeNull();
  for (const other of [
    `pip44:1:5:${base64urlnopad.encode(new Uint8Array(32))}`,
    `pip44c:1:${h}`,
    'pip44x:1:',
    '',
  ])
    expect(parseAnchorMemo(other)).toBeNull();
});

it("an anchor's bytes must be the operator's 0-PAC transaction to itself committing to the expected hash", () => {
  const op = operatorKey(50);
  const h = 'ab'.repeat(32);
  const expected = {
    kind: 'result' as const,
    subject: 7,
    hash: h,
    operator: operatorOf(op),
    network: 'testnet' as const,
  };
  const good = signAnchor(op, 'result', 7, h);
  expect(checkAnchorBytes(good, expected)).toEqual([]);
  expect(checkAnchorBytes(signAnchor(operatorKey(51), 'result', 7, h), expected).join()).toMatch(
    /signed by tpc1\w+, not by the deployment's operator/,
  );
  expect(checkAnchorBytes(signAnchor(op, 'final', 7, h), expected).join()).toMatch(/memo is a final anchor/);
  expect(checkAnchorBytes(signAnchor(op, 'result', 8, h), expected).join()).toMatch(/for number 8, not 7/);
  expect(checkAnchorBytes(signAnchor(op, 'result', 7, 'cd'.repeat(32)), expected).join()).toMatch(
    /commits to cdcd/,
  );
  expect(checkAnchorBytes({ ...good, txId: 'ee'.repeat(32) }, expected).join()).toMatch(/ID does not match/);
  expect(checkAnchorBytes({ ...good, signedTx: 'zz' }, expected).join()).toMatch(/do not decode/);
  // A signature from another key over the same bytes.
  // Ed25519: a 64-byte signature, then the 32-byte key.
  const tampered = good.signedTx.replace(/.{128}(.{64})$/, `${'11'.repeat(64)}$1`);
  expect(checkAnchorBytes({ ...good, signedTx: tampered }, expected).join()).toMatch(/not validly signed/);
  // A transfer of 1 NanoPAC to someone else carrying the right memo is not an anchor.
  const self = op.publicKey().accountAddress();
  const paying = signTransaction(
    newTransaction({
      lockTime: 1,
      fee: 10_000_000n,
      memo: anchorMemo('result', 7, h),
      payload: {
        type: PayloadType.Transfer,
        from: self,
        to: operatorKey(52).publicKey().accountAddress(),
        amount: 1n,
      },
    }),
    op,
  );
  expect(
    checkAnchorBytes(
      { txId: transactionId(paying), signedTx: encodeTransactionHex(paying), height: null },
      expected,
    ).join(),
  ).toMatch(/not the operator's 0-PAC transaction to itself/);
});
