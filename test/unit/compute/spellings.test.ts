// One contributor, one receipt, one spelling. The node and our own parsers read an address or key in capitals, or
// with spaces around it, as the same one, and hex in either case as the same bytes. Without a canonical spelling:
// - a validator registered twice, as 'tpc1…' and 'TPC1…', was two contributors to the pool: its stake weighed
//   twice in routing, and a spot check of one spelling's answer could be re-run by the other (itself);
// - a receipt listed again with its signature in capitals was another leaf, so the operator could credit the same
//   work twice and re-anchor a bundle that verified.
// Every other spelling is generated (any subset of letters in capitals, padding) and must be refused by name.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { receiptShape, verifyEpochBundle } from '../../../compute/epoch-verify.js';
import {
  digest,
  receiptKey as keyOfReceipt,
  responseDigest,
  signReceipt,
  verifyReceipt,
  type Receipt,
} from '../../../compute/receipt.js';
import { checkServedReceipt } from '../../../compute/checks.js';
import { signRegistration, verifyRegistration } from '../../../compute/registration.js';
import { ComputeError } from '../../../compute/errors.js';
import { receiptKey, testReceipt, TINY_MODEL, validatorOf } from '../../support/receipts.js';
import { operatorKey } from '../../support/deployment.js';
import { anchoredEpoch, computeManifest, tinyBooks } from '../../support/epoch-bundle.js';

const A = receiptKey(11);
const B = receiptKey(12);
const op = operatorKey(70);
const honest = testReceipt(A, 1);

/** `text` with the letters at the chosen positions in capitals (a different spelling whenever one is a letter). */
function recase(text: string, upper: boolean[]): string {
  return [...text].map((c, i) => (upper[i % upper.length] ? c.toUpperCase() : c)).join('');
}

/** Another spelling of `text`: some letters in capitals, or all, or padding the parsers trim. */
const respelling = (text: string) =>
  fc.oneof(
    fc.array(fc.boolean(), { minLength: 1, maxLength: 64 }).map((upper) => recase(text, upper)),
    fc.constant(text.toUpperCase()),
    fc.constantFrom(' ', '\t', '\n').map((pad) => `${pad}${text}`),
    fc.constantFrom(' ', '\n').map((pad) => `${text}${pad}`),
  );

const refusal = (r: Receipt): string | null => {
  try {
    keyOfReceipt(r, 'testnet');
    verifyReceipt(r, 'testnet');
    return null;
  } catch (error) {
    expect(error).toBeInstanceOf(ComputeError);
    return (error as Error).message;
  }
};

describe('a receipt in another spelling', () => {
  it('holds in its own spelling', () => {
    expect(refusal(honest)).toBeNull();
  });

  it('is refused for every other spelling of its contributor, key or signature', () => {
    const field = fc.constantFrom<'contributor' | 'publicKey' | 'signature'>(
      'contributor',
      'publicKey',
      'signature',
    );
    fc.assert(
      fc.property(
        field.chain((f) => fc.tuple(fc.constant(f), respelling(honest[f]))),
        ([f, spelled]) => {
          fc.pre(spelled !== honest[f]);
          const problem = refusal({ ...honest, [f]: spelled });
          expect(problem, `${f} = ${JSON.stringify(spelled)}`).toMatch(
            f === 'contributor'
              ? /spells its contributor|key is not the contributor's/
              : f === 'publicKey'
                ? /spells its key|key is not the contributor's/
                : /signature is not lowercase hex/,
          );
        },
      ),
      { numRuns: 100 },
    );
  });
});

describe('a registration in another spelling', () => {
  const body = {
    contributor: validatorOf(A),
    endpoint: 'http://127.0.0.1:9/v1',
    model: 'tiny',
    modelHash: TINY_MODEL,
    issued: 1_700_000_000_000,
  };

  it('holds in its own spelling, and is refused in any other (a second contributor with the same stake)', () => {
    expect(() =>
      verifyRegistration(signRegistration(A, body, 'testnet'), body.endpoint, 'testnet'),
    ).not.toThrow();
    fc.assert(
      fc.property(respelling(body.contributor), (spelled) => {
        fc.pre(spelled !== body.contributor);
        // Signed by the validator's own key over the respelled text: everything but the spelling holds.
        const registration = signRegistration(A, { ...body, contributor: spelled }, 'testnet');
        expect(() => verifyRegistration(registration, body.endpoint, 'testnet')).toThrowError(
          /spells its contributor other than|not signed by the contributor's validator key/,
        );
      }),
      { numRuns: 12 },
    );
  });
});

describe('an epoch bundle crediting one receipt twice under two spellings of its signature', () => {
  const manifest = computeManifest(op, { [TINY_MODEL]: '7' });
  // The operator itself recomputes the books and re-anchors them: only the receipts can show the forgery.
  const anchored = (receipts: Receipt[]) => anchoredEpoch(op, manifest, tinyBooks(4, receipts));

  it('is refused, though the operator re-anchored it; the honest bundle holds', async () => {
    const receipts = [testReceipt(A, 401), testReceipt(A, 402), testReceipt(B, 403)];
    expect((await verifyEpochBundle(anchored(receipts), manifest)).problems).toEqual([]);
    for (const upper of [[true], [false, true]]) {
      const twice = { ...receipts[0]!, signature: recase(receipts[0]!.signature, upper) };
      const { problems } = await verifyEpochBundle(anchored([...receipts, twice]), manifest);
      expect(problems.join('\n')).toMatch(/signature is not lowercase hex/);
    }
  });
});

describe('a receipt carrying a field its signature does not cover', () => {
  it('is refused by the shape a verifier reads, whatever the field is called', () => {
    const shape = (r: unknown) => receiptShape.safeParse(r).success;
    expect(shape(honest)).toBe(true);
    fc.assert(
      fc.property(
        fc.string({ minLength: 1, maxLength: 12 }).filter((k) => !Object.hasOwn(honest, k)),
        fc.jsonValue(),
        (key, value) => {
          expect(shape({ ...honest, [key]: value }), key).toBe(false);
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('a contributor sending its receipt with extra fields', () => {
  it('has the receipt kept as signed: the extra fields never reach a bundle a verifier would refuse', async () => {
    const requestBody = JSON.stringify({ model: 'tiny', messages: [{ role: 'user', content: 'hi' }] });
    const response = {
      choices: [{ index: 0, message: { role: 'assistant', content: 'hello' } }],
      usage: { prompt_tokens: 9, completion_tokens: 2 },
    };
    const commitment = digest('commitment');
    const signed = signReceipt(
      A,
      {
        contributor: validatorOf(A),
        requestHash: digest(requestBody),
        responseHash: responseDigest(response),
        promptTokens: 9,
        completionTokens: 2,
        model: 'tiny',
        modelHash: TINY_MODEL,
        timestamp: 1_700_000_000_000,
        commitment,
      },
      'testnet',
    );
    const sent = { ...signed, note: 'unsigned', promptTokensReally: 9_000_000 } as Receipt;
    const kept = await checkServedReceipt(
      { requestBody, response, receipt: sent },
      { contributor: validatorOf(A), modelHash: TINY_MODEL, commitment },
      { [TINY_MODEL]: 7n },
      'testnet',
      1_700_000_000_000,
      { verify: async (r) => void verifyReceipt(r, 'testnet') },
    );
    expect(kept).toEqual(signed);
    expect(receiptShape.safeParse(kept).success).toBe(true);
  });
});
