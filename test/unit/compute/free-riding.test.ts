// A contributor paid for another's work. A contributor node answered anyone who reached it, so a staked contributor X
// could run no model at all: forward its pool's requests to honest Y's node, take Y's answer, sign its own receipt
// over it and be credited (the answer is Y's honest one, so every spot check passes), while Y's hardware did the
// work unpaid. A node started with a pool token answers its pool only; the pool sends the token it was configured
// with (the URL's credentials), which never appears in the URL it logs or that registrations name.
import type { AddressInfo } from 'node:net';
import fc from 'fast-check';
import pino from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { checkServedReceipt } from '../../../compute/checks.js';
import { createContributorServer, upstreamEngine, type Engine } from '../../../compute/contributor.js';
import { verifyReceipt, type Receipt } from '../../../compute/receipt.js';
import { InferenceRouter, endpointOf } from '../../../compute/router.js';
import { COMMITMENT_HEADER, newSeed, seedCommitment } from '../../../compute/spot-sampling.js';
import { receiptKey, TINY_MODEL, validatorOf } from '../../support/receipts.js';

const logger = pino({ level: 'silent' });
const Y = receiptKey(21);
const X = receiptKey(22);
const commitment = seedCommitment(newSeed());
const TOKEN = 'y-pool-secret/+= ü';
const seen: (string | undefined)[] = [];

/** Y's model: an honest answer, and the authorization it was sent with noted. */
const honestEngine: Engine = async () => ({
  choices: [
    { index: 0, message: { role: 'assistant', content: 'the honest answer' }, finish_reason: 'stop' },
  ],
  usage: { prompt_tokens: 20, completion_tokens: 4 },
});

const servers: FastifyInstance[] = [];
async function node(key: typeof Y, engine: Engine, poolToken?: string): Promise<string> {
  const app = await createContributorServer({
    key,
    network: 'testnet',
    engine,
    model: 'tiny',
    modelHash: TINY_MODEL,
    publicUrl: 'http://127.0.0.1:1',
    logger,
    ...(poolToken !== undefined && { poolToken }),
  });
  app.addHook('onRequest', async (request) => void seen.push(request.headers.authorization));
  await app.listen({ host: '127.0.0.1', port: 0 });
  servers.push(app);
  return `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
}
afterAll(async () => Promise.all(servers.map((s) => s.close())));

const body = JSON.stringify({ model: 'tiny', messages: [{ role: 'user', content: 'hi' }], seed: 7 });
/** What the pool does with X's answer: the receipt checks the bot runs before crediting it. */
async function poolAsks(url: string): Promise<{ status: number; receipt: Receipt | null }> {
  const response = await fetch(`${url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', [COMMITMENT_HEADER]: commitment },
    body,
  });
  if (!response.ok) return { status: response.status, receipt: null };
  const answer = (await response.json()) as Record<string, unknown> & { pactus_receipt: Receipt };
  const receipt = await checkServedReceipt(
    { requestBody: body, response: answer, receipt: answer.pactus_receipt },
    { contributor: validatorOf(X), modelHash: TINY_MODEL, commitment },
    { [TINY_MODEL]: 7n },
    'testnet',
    Date.now(),
    { verify: async (r) => void verifyReceipt(r, 'testnet') },
  );
  return { status: response.status, receipt };
}

describe('a contributor forwarding its requests to another contributor', () => {
  it("was credited for an open node's work; a node with a pool token refuses it, and X earns nothing", async () => {
    const open = await node(Y, honestEngine);
    const x1 = await node(X, upstreamEngine(open));
    const stolen = await poolAsks(x1);
    // What an open node allows: X's own receipt over Y's answer passes every check the pool makes.
    expect(stolen.receipt?.contributor).toBe(validatorOf(X));

    const guarded = await node(Y, honestEngine, TOKEN);
    const x2 = await node(X, upstreamEngine(guarded));
    expect(await poolAsks(x2)).toEqual({ status: 502, receipt: null });
    const direct = await fetch(`${guarded}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer another-pool' },
      body,
    });
    expect(direct.status).toBe(401);
    expect(await direct.text()).not.toContain(TOKEN);
  });

  it("is no problem for Y's own pool: its router sends the token from the URL, and logs the URL without it", async () => {
    const guarded = await node(Y, honestEngine, TOKEN);
    const configured = guarded.replace('http://', `http://pool:${encodeURIComponent(TOKEN)}@`);
    const router = new InferenceRouter({ urls: [`${configured}/v1`], logger, deadlineMs: 5_000 });
    expect(router.endpoints[0]!.url).toBe(guarded);
    Object.assign(router.endpoints[0]!, {
      healthy: true,
      admission: { ok: true, contributor: validatorOf(Y), modelHash: TINY_MODEL, weight: 1 },
    });
    seen.length = 0;
    const { response, text } = await router.send('/v1/chat/completions', body, []);
    expect(response.status).toBe(200);
    expect(JSON.parse(text)).toHaveProperty('pactus_receipt');
    expect(seen).toEqual([`Bearer ${TOKEN}`]);
  });

  it('reads any configured URL into the URL it names and the token it sends', () => {
    const token = fc.string({ minLength: 1, maxLength: 40, unit: 'grapheme' });
    fc.assert(
      fc.property(
        fc.constantFrom('http', 'https'),
        fc.domain(),
        fc.integer({ min: 1, max: 65_535 }),
        token,
        fc.constantFrom('', '/', '/v1', '/v1/'),
        fc.constantFrom('pool', ''),
        (scheme, host, port, secret, path, user) => {
          const creds = user ? `${user}:${encodeURIComponent(secret)}` : encodeURIComponent(secret);
          const configured = `${scheme}://${creds}@${host}:${port}${path}`;
          const plain = `${scheme}://${host}:${port}${path}`;
          const parsed = endpointOf(configured);
          expect(parsed.token).toBe(secret);
          expect(parsed.url).toBe(endpointOf(plain).url);
          expect(parsed.url).not.toContain('@');
          expect(endpointOf(plain).token).toBeNull();
        },
      ),
      { numRuns: 300 },
    );
  });
});
