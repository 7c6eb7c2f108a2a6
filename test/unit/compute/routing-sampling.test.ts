// Spot checks nobody can tell apart: what the router sends for every completion (the same sampling settings and
// headers, a fresh seed; nothing that depends on a check, which is decided only after the answer), the sampling
// rule H(seed, request) < rate, and the bundle's spot-check record refused when any field of it is forged.
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import fc from 'fast-check';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkServedReceipt } from '../../../compute/checks.js';
import { createContributorServer, type Engine } from '../../../compute/contributor.js';
import { ComputeError } from '../../../compute/errors.js';
import { digest, receiptLeaf, verifyReceipt, type Receipt } from '../../../compute/receipt.js';
import { PrivateKey } from '../../../pactus/keys.js';
import { InferenceRouter, type Served } from '../../../compute/router.js';
import {
  COMMITMENT_HEADER,
  isDue,
  ratePpm,
  newSeed,
  seedCommitment,
  spotCheckProblems,
  type SpotChecks,
} from '../../../compute/spot-sampling.js';
import { seededRandom } from '../../../compute/simulate.js';

describe('what the router sends', () => {
  let server: Server;
  let url: string;
  const seen: { body: Record<string, unknown>; headers: IncomingHttpHeaders; at: number }[] = [];
  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (d) => (body += d));
      req.on('end', () => {
        if (req.method === 'POST')
          seen.push({
            body: JSON.parse(body) as Record<string, unknown>,
            headers: req.headers,
            at: Date.now(),
          });
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ choices: [{ message: { role: 'assistant', content: 'ok' } }], usage: {} }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('sends every completion alike whatever the caller set: greedy, a fresh seed, the epoch commitment', async () => {
    const served: Served[] = [];
    const commitment = seedCommitment(newSeed());
    const router = new InferenceRouter({
      urls: [url],
      logger: pino({ level: 'silent' }),
      deadlineMs: 5_000,
      stamp: async () => ({ epoch: 7, commitment }),
      onServed: async (s) => void served.push(s),
    });
    await router.start();
    // Callers' bodies with any sampling fields of their own (old spot checks looked like the last one).
    const bodies = fc.sample(
      fc.record(
        {
          model: fc.constant('m'),
          messages: fc.constant([{ role: 'user', content: 'hi' }]),
          temperature: fc.double({ min: 0, max: 2, noNaN: true }),
          top_p: fc.double({ min: 0, max: 1, noNaN: true }),
          seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
        },
        { requiredKeys: ['model', 'messages'] },
      ),
      { numRuns: 40, seed: 44 },
    );
    bodies.push({
      model: 'm',
      messages: [{ role: 'user', content: 'hi' }],
      temperature: 0,
      top_p: 1,
      seed: 44,
    });
    for (const body of bodies)
      await router.fetch('http://inference-pool.invalid/v1/chat/completions', {
        method: 'POST',
        body: JSON.stringify(body),
      });
    router.stop();
    expect(seen).toHaveLength(bodies.length);
    const shapes = new Set(seen.map((s) => JSON.stringify(Object.keys(s.body).sort())));
    expect([...shapes]).toEqual([JSON.stringify(['messages', 'model', 'seed', 'temperature', 'top_p'])]);
    const headerNames = new Set(
      seen.map((s) =>
        Object.keys(s.headers)
          .filter((h) => h !== 'content-length')
          .sort()
          .join(),
      ),
    );
    expect(headerNames.size).toBe(1);
    expect(new Set(seen.map((s) => s.headers[COMMITMENT_HEADER]))).toEqual(new Set([commitment]));
    for (const s of seen) {
      expect(s.body).toMatchObject({ temperature: 0, top_p: 1 });
      expect(
        Number.isInteger(s.body.seed) && (s.body.seed as number) >= 0 && (s.body.seed as number) < 2 ** 31,
      ).toBe(true);
    }
    // Fresh seeds: no two alike (41 draws from 2^31), and never the old fixed one by design.
    expect(new Set(seen.map((s) => s.body.seed)).size).toBe(seen.length);
    // The bot is told what was sent, byte for byte, with the stamp: the check is its decision, afterwards.
    await new Promise((r) => setTimeout(r, 20));
    expect(served.map((s) => JSON.parse(s.requestBody) as unknown)).toEqual(seen.map((s) => s.body));
    expect(served.every((s) => s.stamp?.commitment === commitment && s.stamp.epoch === 7)).toBe(true);
  });

  it('sends no commitment header and no stamp when the pool meters nothing', async () => {
    seen.length = 0;
    const router = new InferenceRouter({ urls: [url], logger: pino({ level: 'silent' }), deadlineMs: 5_000 });
    await router.start();
    await router.fetch('http://inference-pool.invalid/v1/chat/completions', {
      method: 'POST',
      body: JSON.stringify({ model: 'm', messages: [] }),
    });
    router.stop();
    expect(seen[0]!.headers[COMMITMENT_HEADER]).toBeUndefined();
    expect(seen[0]!.body).toMatchObject({ temperature: 0, top_p: 1, seed: expect.any(Number) });
  });
});

describe('which requests are due', () => {
  const random = seededRandom(30);
  const hex = () =>
    Array.from({ length: 32 }, () =>
      Math.floor(random() * 256)
        .toString(16)
        .padStart(2, '0'),
    ).join('');

  it('picks about the stated share of requests, none at rate 0, all at rate 1, more as the rate grows', () => {
    const seed = hex();
    const requests = Array.from({ length: 10_000 }, hex);
    for (const rate of [0.05, 0.25, 0.9]) {
      const share = requests.filter((r) => isDue(seed, r, ratePpm(rate))).length / requests.length;
      // 10,000 draws: the share is within 4 standard deviations of the rate.
      expect(Math.abs(share - rate)).toBeLessThan(4 * Math.sqrt((rate * (1 - rate)) / requests.length));
    }
    expect(requests.some((r) => isDue(seed, r, ratePpm(0)))).toBe(false);
    expect(requests.every((r) => isDue(seed, r, ratePpm(1)))).toBe(true);
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (a, b) => {
          const [low, high] = a < b ? [a, b] : [b, a];
          for (const r of requests.slice(0, 200))
            if (isDue(seed, r, ratePpm(low))) expect(isDue(seed, r, ratePpm(high))).toBe(true);
        },
      ),
      { numRuns: 50 },
    );
  });

  it('depends on the seed: without it, whether a request is due cannot be told from the request', () => {
    const requests = Array.from({ length: 4_000 }, hex);
    const [a, b] = [hex(), hex()];
    const both =
      requests.filter((r) => isDue(a, r, ratePpm(0.5)) && isDue(b, r, ratePpm(0.5))).length / requests.length;
    // Two seeds decide independently: about a quarter are due under both.
    expect(Math.abs(both - 0.25)).toBeLessThan(0.04);
  });
});

describe("the bundle's spot-check record", () => {
  const contributors = ['tpc1pa', 'tpc1pb', 'tpc1pc'];
  const receipt = (request: string, contributor: string, n: number, commitment: string): Receipt => ({
    contributor,
    requestHash: request,
    responseHash: digest(`answer ${n}`),
    promptTokens: 100,
    completionTokens: 10,
    model: 'm',
    modelHash: digest('model'),
    timestamp: n,
    commitment,
    publicKey: 'key',
    signature: `sig${n}`,
  });

  /** An honest epoch: requests from the three contributors, each due one re-run by the next contributor. */
  function epoch(rate: number) {
    const seed = digest('epoch seed');
    const commitment = seedCommitment(seed);
    const receipts: Receipt[] = [];
    const checks: SpotChecks['checks'] = [];
    for (let i = 0; i < 40; i++) {
      const request = digest(`request ${i}`);
      const original = receipt(request, contributors[i % 3]!, i, commitment);
      receipts.push(original);
      if (!isDue(seed, receiptLeaf(original), ratePpm(rate))) continue;
      const rerun = receipt(request, contributors[(i + 1) % 3]!, 1000 + i, commitment);
      receipts.push(rerun);
      checks.push({
        request,
        leaf: receiptLeaf(original),
        contributor: original.contributor,
        reruns: [receiptLeaf(rerun)],
        outcome: 'pass',
        failed: null,
        detail: 'matched',
      });
    }
    return { receipts, spot: { ratePpm: ratePpm(rate), commitment, seed, checks } satisfies SpotChecks };
  }

  it('holds for an honest epoch', () => {
    const { receipts, spot } = epoch(0.5);
    expect(spot.checks.length).toBeGreaterThan(5);
    expect(spotCheckProblems(receipts, spot, {})).toEqual([]);
  });

  it('is refused when any field of it is forged', () => {
    const { receipts, spot } = epoch(0.5);
    const dueLeaves = new Set(spot.checks.map((c) => c.leaf));
    const notDue = receipts.find(
      (r) => !dueLeaves.has(receiptLeaf(r)) && !spot.checks.some((c) => c.reruns.includes(receiptLeaf(r))),
    )!;
    const forgeries: [string, (s: SpotChecks, r: Receipt[], z: Record<string, string>) => void][] = [
      ['seed', (s) => (s.seed = digest('other'))],
      ['commitment', (s) => (s.commitment = digest('other'))],
      ['rate lowered', (s) => (s.ratePpm = 100_000)],
      ['rate raised', (s) => (s.ratePpm = 900_000)],
      ['rate out of range', (s) => (s.ratePpm = 1_500_000)],
      ['check dropped', (s) => s.checks.pop()],
      [
        'check of a request not due',
        (s) =>
          s.checks.push({
            ...s.checks[0]!,
            leaf: receiptLeaf(notDue),
            request: notDue.requestHash,
            contributor: notDue.contributor,
          }),
      ],
      ['check names another request', (s) => (s.checks[0]!.request = digest('x'))],
      ['check names another contributor', (s) => (s.checks[0]!.contributor = 'tpc1pz')],
      ['check of no receipt', (s) => (s.checks[0]!.leaf = digest('none'))],
      ['re-run of no receipt', (s) => (s.checks[0]!.reruns = [digest('none')])],
      [
        're-run by the checked contributor',
        (s, r) => {
          const c = s.checks[0]!;
          const own = receipt(c.request, c.contributor, 9999, s.commitment);
          r.push(own);
          c.reruns = [receiptLeaf(own)];
        },
      ],
      ['re-run of another request', (s) => (s.checks[0]!.reruns = [s.checks[1]!.reruns[0]!])],
      [
        'failure not zeroed',
        (s) => {
          s.checks[0]!.outcome = 'fail';
          s.checks[0]!.failed = s.checks[0]!.contributor;
        },
      ],
      ['receipt under another commitment', (_s, r) => (r[0]!.commitment = digest('old epoch'))],
      ['receipt without a commitment', (_s, r) => delete r[0]!.commitment],
    ];
    for (const [name, forge] of forgeries) {
      const copy = JSON.parse(JSON.stringify({ receipts, spot })) as {
        receipts: Receipt[];
        spot: SpotChecks;
      };
      const zeroed: Record<string, string> = {};
      forge(copy.spot, copy.receipts, zeroed);
      expect(spotCheckProblems(copy.receipts, copy.spot, zeroed).length, name).toBeGreaterThan(0);
    }
    // A failure that is zeroed holds: its two re-runs (by the two others) agree against the checked answer.
    const copy = JSON.parse(JSON.stringify({ receipts, spot })) as { receipts: Receipt[]; spot: SpotChecks };
    const failed = copy.spot.checks[0]!;
    const third = contributors.find(
      (c) =>
        c !== failed.contributor &&
        !copy.receipts.some((r) => receiptLeaf(r) === failed.reruns[0] && r.contributor === c),
    )!;
    const decider = receipt(failed.request, third, 8888, copy.spot.commitment);
    copy.receipts.push(decider);
    Object.assign(failed, {
      outcome: 'fail',
      failed: failed.contributor,
      reruns: [...failed.reruns, receiptLeaf(decider)],
    });
    expect(spotCheckProblems(copy.receipts, copy.spot, { [failed.contributor]: 'lied' })).toEqual([]);
  });

  it('is refused for a seed chosen after the fact: no other seed opens the commitment', () => {
    const { receipts, spot } = epoch(0.5);
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), (bytes) => {
        const seed = Buffer.from(bytes).toString('hex');
        fc.pre(seed !== spot.seed);
        expect(spotCheckProblems(receipts, { ...spot, seed }, {})).toContain(
          'the revealed spot-check seed does not open its commitment',
        );
      }),
      { numRuns: 100 },
    );
  });
});

describe('receipts sign the commitment their request came with', () => {
  const key = PrivateKey.fromBytes('bls', new Uint8Array(32).fill(5));
  const commitment = seedCommitment(newSeed());
  const answer = {
    choices: [{ index: 0, message: { role: 'assistant', content: 'ok' } }],
    usage: { prompt_tokens: 12, completion_tokens: 2 },
  };

  it('a contributor signs the header into its receipt, and the bot refuses a receipt under another commitment', async () => {
    const engine: Engine = async (_request, headers) => ({ ...answer, headers });
    const app = await createContributorServer({
      key,
      network: 'testnet',
      engine,
      model: 'm',
      modelHash: digest('model'),
      publicUrl: 'http://127.0.0.1:1',
      logger: pino({ level: 'silent' }),
    });
    const body = JSON.stringify({ model: 'm', messages: [{ role: 'user', content: 'hi' }] });
    const send = (header?: string) =>
      app.inject({
        method: 'POST',
        url: '/v1/chat/completions',
        headers: { 'content-type': 'application/json', ...(header && { [COMMITMENT_HEADER]: header }) },
        payload: body,
      });
    const ok = await send(commitment);
    const response = ok.json<Record<string, unknown> & { pactus_receipt: Receipt; headers: unknown }>();
    expect(response.pactus_receipt.commitment).toBe(commitment);
    // The engine (an upstream server) is handed the same header, the same on every request of the epoch.
    expect(response.headers).toEqual({ [COMMITMENT_HEADER]: commitment });
    verifyReceipt(response.pactus_receipt, 'testnet');
    for (const bad of ['xyz', commitment.toUpperCase(), `${commitment}00`])
      expect((await send(bad)).statusCode, bad).toBe(400);
    const served = { requestBody: body, response, receipt: response.pactus_receipt };
    const contributor = key.publicKey().validatorAddress().toString('testnet');
    const expected = { contributor, modelHash: digest('model') };
    const approved = { [digest('model')]: 1n };
    const verifier = { verify: async (r: Receipt) => void verifyReceipt(r, 'testnet') };
    await expect(
      checkServedReceipt(served, { ...expected, commitment }, approved, 'testnet', Date.now(), verifier),
    ).resolves.toBeTruthy();
    await expect(
      checkServedReceipt(
        served,
        { ...expected, commitment: seedCommitment(newSeed()) },
        approved,
        'testnet',
        Date.now(),
        verifier,
      ),
    ).rejects.toThrow(/does not sign the epoch's seed commitment/);
    // A receipt signed without one is refused where the pool meters.
    const bare = (await send()).json<{ pactus_receipt: Receipt }>();
    await expect(
      checkServedReceipt(
        { ...served, receipt: bare.pactus_receipt },
        { ...expected, commitment },
        approved,
        'testnet',
        Date.now(),
        verifier,
      ),
    ).rejects.toThrow(ComputeError);
    await app.close();
  });
});
