// The signer server's edges, attacked: generated hostile requests (every route x token shapes x methods x bodies x
// headers, sent as raw bytes) all carry the security headers and are never a 5xx; upload links are spent only by
// a contract; junk cannot use up a link's tries; X-Forwarded-For is read exactly N hops from the right; what a
// compiler says reaches the page as plain text. One devnet stack, several servers on it.
import fc from 'fast-check';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contractUploadFor } from '../../../bot/contract-upload.js';
import { ContractService } from '../../../contracts/service.js';
import { storeUploadToken } from '../../../contracts/uploads.js';
import { loadContract } from '../../../contracts/load.js';
import {
  type PrivateKey,
  decodeTransactionHex,
  encodeTransactionHex,
  signTransaction,
} from '../../../pactus/index.js';
import { plainText } from '../../../signer-web/server/edges.js';
import {
  SECURITY_HEADERS,
  createSignerServer,
  type SignerServerOptions,
} from '../../../signer-web/server/server.js';
import { newLinkToken } from '../../../wallet/tokens.js';
import { COUNTER_WAT } from '../../support/contracts.js';
import { http } from '../../support/http.js';
import { rawRequest, requestText, type RawResponse } from '../../support/raw-http.js';
import { startStack, tokenOf, type Stack } from '../../support/stack.js';
import { PAC, devnetAccount } from '../../support/txs.js';

let s: Stack;
const servers: FastifyInstance[] = [];
beforeAll(async () => {
  s = await startStack();
});
afterAll(async () => {
  for (const server of servers) await server.close();
  await s.close();
});

const PHRASE = 'west dice keen expand cattle cram weasel coin burger guide diet vivid';
const t = (key: { address: { toString(n: 'testnet'): string } }) => key.address.toString('testnet');

/** A signer server on the stack's wallet, with the upload route, on 127.0.0.1:0; returns its port. */
async function serve(options: Partial<SignerServerOptions> = {}): Promise<number> {
  const server = await createSignerServer({
    signing: s.wallet.signing,
    logger: s.logger,
    contractUpload: contractUploadFor(s.wallet, new ContractService(s.db)),
    ipLimitPerMinute: 100_000,
    ...options,
  });
  servers.push(server);
  const address = await server.listen({ host: '127.0.0.1', port: 0 });
  return Number(new URL(address).port);
}

async function uploadLink(user = 'uploader'): Promise<string> {
  const { token, hash } = newLinkToken();
  await storeUploadToken(s.db, hash, (await s.account(user)).chatAccountId, Date.now());
  return token;
}

async function transferDraft(user: string) {
  return s.wallet.drafting.transfer(await s.account(user), {
    from: t(devnetAccount(s.devnet, 'ed25519-account', 0)),
    to: t(devnetAccount(s.devnet, 'ed25519-account', 1)),
    amount: PAC,
  });
}

/**
 * The draft's bytes signed by `key`, as the page would post them; `forged`: with the signer's public key but a
 * signature that is not theirs (what someone with the link but not the key can send: a real, failing attempt).
 */
async function signedBody(port: number, token: string, key: PrivateKey, forged = false): Promise<string> {
  const link = await http<{ unsignedTx: string }>(`http://127.0.0.1:${port}/api/links/${token}`);
  if (forged) {
    const tx = signTransaction(decodeTransactionHex(link.body.unsignedTx), key);
    return JSON.stringify({
      signedTx: encodeTransactionHex({ ...tx, signature: tx.signature!.map((b) => b ^ 1) }),
    });
  }
  return JSON.stringify({
    signedTx: encodeTransactionHex(signTransaction(decodeTransactionHex(link.body.unsignedTx), key)),
  });
}

function expectEdge(r: RawResponse | null, what: string) {
  expect(r, `${what}: no answer`).not.toBeNull();
  for (const [name, value] of Object.entries(SECURITY_HEADERS))
    expect(r!.headers[name], `${name} on ${r!.status} for ${what}`).toBe(value);
  expect(r!.status, `${what}: ${r!.body.slice(0, 200)}`).toBeLessThan(500);
  expect(r!.body).not.toMatch(/\n\s+at |node_modules|Error:/);
  if (r!.status >= 400 && r!.body && /json/.test(r!.headers['content-type'] ?? '')) {
    const body = JSON.parse(r!.body) as { error?: { code?: string; message?: string } };
    expect(typeof body.error?.message, what).toBe('string');
    expect(body.error!.message).toBe(plainText(body.error!.message!));
  }
}

describe('every response', () => {
  it('generated hostile requests: every route x token shape x method x body x header carries the headers, and none is a 5xx', async () => {
    const port = await serve({ trustProxy: 1 });
    const live = newLinkToken().token;
    const tokens = [
      live,
      'short',
      'x'.repeat(43),
      'A'.repeat(101), // past maxParamLength: 414
      'A'.repeat(3000),
      '%E0%A4%A',
      '%',
      '%zz',
      '%00',
      '..%2F..%2Fetc%2Fpasswd',
      '%F0%9F%92%A9'.repeat(10),
      '',
      'a%20b',
      '%C0%AF',
    ];
    const routes = [
      (k: string) => `/s/${k}`,
      (k: string) => `/c/${k}`,
      (k: string) => `/api/links/${k}`,
      (k: string) => `/api/links/${k}/status`,
      (k: string) => `/api/contracts/${k}`,
      (k: string) => `/qr.svg?d=${k}`,
      (k: string) => `/proposals/${k}/bundle.json`,
      (k: string) => `/proposals/1/receipts/${k}.json`,
      (k: string) => `/compute/epochs/${k}/bundle.json`,
      (k: string) => `/compute/epochs/1/proofs/${k}.json`,
      (k: string) => `/compute/epochs/1/contributors/${k}/proofs.json`,
      (k: string) => `/assets/${k}`,
      (k: string) => `/${k}`,
      () => '/healthz',
      () => '/favicon.ico',
      () => '/assets/page.js',
    ];
    const methods = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD'];
    const bodies: [string, string | Buffer][] = [
      ['', ''],
      ['application/json', '{"signedTx":"00"}'],
      ['application/json', '{"signedTx":'],
      ['application/json', '{"__proto__":{"x":1},"signature":"00","publicKey":"tpublic1zzzzzzzzzz"}'],
      ['application/json', JSON.stringify({ signedTx: 'ab'.repeat(20_000) })], // past 32 KiB: 413
      ['application/octet-stream', Buffer.from([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0])],
      ['application/octet-stream', Buffer.from('(module (func $f (unreachable)')],
      ['application/octet-stream', Buffer.alloc(1024 * 1024 + 10, 1)], // past 1 MiB: 413
      ['text/plain', 'hello'],
      ['multipart/form-data; boundary=x', '--x\r\n\r\n--x--'],
      ['application/json; charset=utf-16', '{}'],
    ];
    const headers: Record<string, string>[] = [
      {},
      { 'X-File-Name': '%E0%A4%A' },
      { 'X-File-Name': '%FF' },
      { 'X-File-Name': encodeURIComponent('../../etc/passwd.wasm') },
      { 'X-File-Name': encodeURIComponent('a\u0007b.wat') },
      { 'X-File-Name': 'x'.repeat(5000) },
      { 'X-Forwarded-For': 'not-an-ip, , ::1, 999.1.1.1' },
      { 'X-Forwarded-For': Array.from({ length: 200 }, (_, i) => `10.0.${i % 250}.1`).join(', ') },
      { Accept: '*/*', 'Accept-Encoding': 'gzip, br' },
      { 'Content-Encoding': 'gzip' },
      { Cookie: 'a=' + 'b'.repeat(20_000) }, // headers past Node's limit: 431 from the HTTP parser
    ];
    const seen = new Set<number>();
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...routes),
        fc.constantFrom(...tokens),
        fc.constantFrom(...methods),
        fc.constantFrom(...bodies),
        fc.constantFrom(...headers),
        async (route, token, method, [type, body], extra) => {
          const path = route(token);
          const r = await rawRequest(
            port,
            requestText(
              method,
              path,
              { ...(type && { 'Content-Type': type }), ...extra },
              method === 'GET' || method === 'HEAD' ? '' : body,
            ),
          );
          expectEdge(r, `${method} ${path.slice(0, 80)} ${type} ${JSON.stringify(extra).slice(0, 60)}`);
          seen.add(r!.status);
        },
      ),
      { numRuns: 200, seed: 44 },
    );
    // The generator did reach the early answers it was built to provoke.
    for (const status of [400, 404, 413, 414, 431]) expect(seen, [...seen].join(',')).toContain(status);
  });

  it('requests Node itself refuses (a broken request line, bad header bytes) are answered with the headers too', async () => {
    const port = await serve();
    for (const request of [
      'GET /s/%E0%A4%A HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n',
      'GET / HTTP/1.1\r\nHost: x\r\nX-Bad: a\u0001b\r\nConnection: close\r\n\r\n',
      'GARBAGE\r\n\r\n',
      'GET /healthz HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n',
      `GET /${'a'.repeat(20_000)} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`,
    ])
      expectEdge(
        await rawRequest(port, Buffer.from(request, 'latin1')),
        JSON.stringify(request.slice(0, 40)),
      );
  });
});

describe('upload links', () => {
  it('are spent only by a contract: a bad name, junk bytes or text that does not parse leave the link working, and 30 such junk posts do not lock the person out', async () => {
    const port = await serve();
    const token = await uploadLink();
    const post = (name: string | null, body: Buffer | string) =>
      rawRequest(
        port,
        requestText(
          'POST',
          `/api/contracts/${token}`,
          { 'Content-Type': 'application/octet-stream', ...(name !== null && { 'X-File-Name': name }) },
          body,
        ),
      );
    const { wasm } = await loadContract(COUNTER_WAT);
    const refusals: [string | null, Buffer | string, number][] = [
      ['%E0%A4%A', Buffer.from(wasm), 400],
      [encodeURIComponent('notes.txt'), Buffer.from(wasm), 400],
      [encodeURIComponent('evil\u202eliam.wasm'), Buffer.from(wasm), 400],
      [encodeURIComponent('counter.wasm'), 'hello there', 400],
      [encodeURIComponent('counter.wasm'), Buffer.from([0xff, 0xfe, 0, 1, 2]), 400],
      [encodeURIComponent('counter.wasm'), '', 400],
      [encodeURIComponent('notes.wat'), `(module) ;; backup: ${PHRASE}`, 400],
      [encodeURIComponent(`${PHRASE}.wasm`), Buffer.from(wasm), 400],
      [encodeURIComponent('broken.wat'), '(module (func $f (unreachable)', 422],
      [encodeURIComponent('broken.wasm'), Buffer.from([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, 99, 1]), 422],
    ];
    for (let round = 0; round < 4; round++)
      for (const [name, body, status] of refusals) {
        if (status === 422 && round > 0) continue; // the checker's work, once is enough
        const r = await post(name, body);
        expectEdge(r, `${name}`);
        expect(r!.status, `${name}: ${r!.body}`).toBe(status);
        expect(r!.body).not.toContain('dice keen');
      }
    const ok = await post(encodeURIComponent('counter.wasm'), Buffer.from(wasm));
    expect(ok!.status, ok!.body).toBe(200);
    expect((JSON.parse(ok!.body) as { report: string }).report).toMatch(/Checks passed/);
    expect((await post(encodeURIComponent('counter.wasm'), Buffer.from(wasm)))!.status).toBe(410);
  });

  it('what a compiler says about broken text reaches the page as plain text', async () => {
    const port = await serve();
    const token = await uploadLink('compiler');
    const broken = fc.sample(
      fc.stringMatching(/^\((module|func|memory|data|i32\.const|\(|\)|"|\\|[a-z0-9 $.]){1,40}$/),
      { numRuns: 40, seed: 7 },
    );
    for (const text of broken) {
      const r = await rawRequest(
        port,
        requestText(
          'POST',
          `/api/contracts/${token}`,
          { 'Content-Type': 'application/octet-stream', 'X-File-Name': 'c.wat' },
          text,
        ),
      );
      expectEdge(r, text);
      if (r!.status !== 422) continue;
      const message = (JSON.parse(r!.body) as { error: { message: string } }).error.message;
      expect(message).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\ufffd]/);
    }
    expect(plainText('contract.wat\u001b:1:2: error\u0000 \u202eevil\ud800 ok\nnext')).toBe(
      'contract.wat:1:2: error evil ok\nnext',
    );
  });
});

describe('limits junk cannot exhaust', () => {
  it('ten junk posts (and more) do not lock the real signer out, from the same address or another', async () => {
    const port = await serve({ trustProxy: 1 });
    const draft = await transferDraft('junk-victim');
    const token = tokenOf(draft.url);
    const junk = [
      '{}',
      '{"signedTx":"00"}',
      '{"signedTx":"zz"}',
      'not json',
      '{"signature":"00","publicKey":"tpublic1qqqqqqqqqq"}',
      `{"signedTx":"${'00'.repeat(200)}"}`,
    ];
    for (let i = 0; i < 30; i++) {
      const r = await rawRequest(
        port,
        requestText(
          'POST',
          `/api/links/${token}`,
          { 'Content-Type': 'application/json' },
          junk[i % junk.length]!,
        ),
      );
      expectEdge(r, 'junk');
      expect(r!.status).toBe(400);
    }
    // Ten real attempts with a forged signature, from another address, use up only that address's tries.
    const key = devnetAccount(s.devnet, 'ed25519-account', 0).key;
    const attacker = { 'Content-Type': 'application/json', 'X-Forwarded-For': '198.51.100.7' };
    const statuses: number[] = [];
    for (let i = 0; i < 11; i++)
      statuses.push(
        (await rawRequest(
          port,
          requestText('POST', `/api/links/${token}`, attacker, await signedBody(port, token, key, true)),
        ))!.status,
      );
    expect(statuses.slice(0, 10).every((st) => st === 400)).toBe(true);
    expect(statuses[10]).toBe(429);
    const real = await rawRequest(
      port,
      requestText(
        'POST',
        `/api/links/${token}`,
        { 'Content-Type': 'application/json', 'X-Forwarded-For': '203.0.113.5' },
        await signedBody(port, token, key),
      ),
    );
    expect(real!.status, real!.body).toBe(200);
  });
});

describe('SIGNER_TRUST_PROXY=N', () => {
  /** Requests with a client-written leftmost X-Forwarded-For that changes every time; how many pass the limit. */
  async function passing(trustProxy: false | number, requests: number, forwarded: (i: number) => string) {
    const port = await serve({ trustProxy, ipLimitPerMinute: 20 });
    let ok = 0;
    for (let i = 0; i < requests; i++) {
      const r = await rawRequest(port, requestText('GET', '/healthz', { 'X-Forwarded-For': forwarded(i) }));
      expectEdge(r, 'healthz');
      if (r!.status === 200) ok++;
    }
    return ok;
  }

  it('N=1 takes the rightmost address: spoofing the left side does not get past the per-IP limit', async () => {
    expect(await passing(1, 40, (i) => `10.9.${i}.1, 203.0.113.9`)).toBe(20);
  });

  it('N=2 takes the second from the right; no X-Forwarded-For, or N=0, is the socket address', async () => {
    // Each request names another client one hop before the trusted proxy: each is its own address.
    expect(await passing(2, 30, (i) => `192.0.2.${i}, 10.0.0.1`)).toBe(30);
    expect(await passing(false, 30, (i) => `192.0.2.${i}`)).toBe(20);
  });
});
