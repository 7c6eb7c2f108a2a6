// What the bot checks about each completion it was served, and how two answers to one spot-checked request are
// compared. Pure functions: the service records what they say.
import type { Network } from '../pactus/network.js';
import { ComputeError } from './errors.js';
import { digest, receiptKey, receiptOnly, responseDigest, type Receipt } from './receipt.js';
import type { ReceiptVerifier } from './verifier.js';

/** Receipts signed further than this from the bot's clock are refused (a replayed or pre-made receipt). */
export const RECEIPT_CLOCK_SKEW_MS = 5 * 60_000;

interface Usage {
  prompt_tokens?: number;
  completion_tokens?: number;
}

/**
 * A receipt is accepted only if it is the admitted contributor's, signed, for the model it registered (and an
 * approved one), over exactly the request the bot sent and the answer it got, with the token counts the answer
 * states, under the seed commitment the request carried (so a receipt of another epoch, or one signed without the
 * commitment, is refused). Throws ComputeError with the reason.
 */
export async function checkServedReceipt(
  served: { requestBody: string; response: Record<string, unknown>; receipt: Receipt | null },
  expected: { contributor: string; modelHash: string; commitment: string | null },
  approved: Record<string, bigint>,
  network: Network,
  now: number,
  verifier: Pick<ReceiptVerifier, 'verify'>,
): Promise<Receipt> {
  if (!served.receipt) throw new ComputeError('bad_receipt', 'the completion came without a receipt');
  const r = receiptOnly(served.receipt);
  receiptKey(r, network);
  if (r.contributor !== expected.contributor)
    throw new ComputeError(
      'bad_receipt',
      `the receipt names ${r.contributor}, not the registered contributor`,
    );
  if (r.modelHash !== expected.modelHash || approved[r.modelHash] === undefined)
    throw new ComputeError(
      'bad_receipt',
      'the receipt names a model other than the registered, approved one',
    );
  if (r.requestHash !== digest(served.requestBody))
    throw new ComputeError('bad_receipt', 'the receipt does not match the request sent');
  if (r.responseHash !== responseDigest(served.response))
    throw new ComputeError('bad_receipt', 'the receipt does not match the answer received');
  const usage = (served.response.usage ?? {}) as Usage;
  if (r.promptTokens !== usage.prompt_tokens || r.completionTokens !== usage.completion_tokens)
    throw new ComputeError('bad_receipt', "the receipt's token counts differ from the answer's");
  if (expected.commitment !== null && r.commitment !== expected.commitment)
    throw new ComputeError(
      'bad_receipt',
      "the receipt does not sign the epoch's seed commitment it was sent",
    );
  if (Math.abs(r.timestamp - now) > RECEIPT_CLOCK_SKEW_MS)
    throw new ComputeError('bad_receipt', "the receipt's time is too far from now");
  // The signature last: it is the one check that costs a pairing.
  await verifier.verify(r, network);
  return r;
}

/**
 * What must be the same when two honest nodes run one request greedily with one seed: the text and the tool calls
 * (names and arguments). Not the token counts: the bot counts those itself (token-count.ts), and two honest
 * servers may count differently (one renders tool documentation more tersely), which is no lie about the answer.
 */
export function answerKey(response: Record<string, unknown>): string {
  const choice =
    (response.choices as { message?: Record<string, unknown> }[] | undefined)?.[0]?.message ?? {};
  const calls = (
    (choice.tool_calls as { function?: { name?: string; arguments?: string } }[] | undefined) ?? []
  ).map((c) => [c.function?.name ?? '', c.function?.arguments ?? '']);
  return JSON.stringify([choice.content ?? '', calls]);
}
