import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bytesToHex, mnemonicToSeed } from '../../pactus/index.js';
import { DEFAULT_DEVNET_MNEMONIC } from '../../devnet/index.js';
import { SECURITY_HEADERS } from '../../signer-web/server/server.js';
import { draftById, linkedAddressesOf } from '../../wallet/index.js';
import { launchChromium } from '../support/browser.js';
import { startStack, type Stack } from '../support/stack.js';
import { PAC, devnetAccount } from '../support/txs.js';

let s: Stack;
let browser: BrowserContext;
let closeBrowser: () => Promise<void>;

beforeAll(async () => {
  s = await startStack({ devnet: { blockMs: 300 } });
  ({ browser, close: closeBrowser } = await launchChromium());
});
afterAll(async () => {
  await closeBrowser?.();
  await s?.close();
});

const t = (key: { address: { toString(n: 'testnet'): string } }) => key.address.toString('testnet');

interface Captured {
  requests: { url: string; method: string; body: string; headers: Record<string, string> }[];
  responses: { url: string; headers: Record<string, string> }[];
  dialogs: string[];
  errors: string[];
}

async function open(url: string): Promise<{ page: Page; captured: Captured }> {
  const page = await browser.newPage();
  const captured: Captured = { requests: [], responses: [], dialogs: [], errors: [] };
  page.on('request', (r) =>
    captured.requests.push({
      url: r.url(),
      method: r.method(),
      body: r.postData() ?? '',
      headers: r.headers(),
    }),
  );
  page.on('response', (r) => captured.responses.push({ url: r.url(), headers: r.headers() }));
  page.on('dialog', (d) => {
    captured.dialogs.push(d.message());
    void d.dismiss();
  });
  page.on('pageerror', (e) => captured.errors.push(e.message));
  await page.goto(url);
  await page.waitForSelector('#summary:not([hidden]), #error:not([hidden])');
  return { page, captured };
}

function expectNoSecrets(captured: Captured, secrets: string[]): void {
  expect(captured.requests.length).toBeGreaterThan(0);
  for (const request of captured.requests) {
    const text = `${request.url}\n${request.body}\n${JSON.stringify(request.headers)}`.toLowerCase();
    for (const secret of secrets) expect(text).not.toContain(secret.toLowerCase());
  }
}

function expectCspEverywhere(captured: Captured): void {
  expect(captured.responses.length).toBeGreaterThanOrEqual(3);
  for (const response of captured.responses)
    expect(response.headers['content-security-policy'], response.url).toBe(
      SECURITY_HEADERS['content-security-policy'],
    );
}

describe('the signer page in headless Chromium', () => {
  it('shows what the bytes say, signs with the devnet mnemonic, and follows to "confirmed"', async () => {
    const from = devnetAccount(s.devnet, 'ed25519-account', 0);
    const to = devnetAccount(s.devnet, 'ed25519-account', 1);
    const hostile = '<img src=x onerror=alert(1)>';
    const draft = await s.wallet.drafting.transfer(await s.account('e2e'), {
      from: t(from),
      to: t(to),
      amount: 2n * PAC + 5n,
      memo: hostile,
    });
    const { page, captured } = await open(draft.url);
    expect(await page.textContent('#title')).toBe('Send PAC');
    expect(await page.textContent('#network')).toBe('Devnet');
    const details = (await page.textContent('#details'))!;
    expect(details).toContain(t(from));
    expect(details).toContain(t(to));
    expect(details).toContain('2.000000005 PAC');
    expect(details).toContain('0.01 PAC');
    expect(details).toContain('2.010000005 PAC');
    expect(details).toContain(hostile);
    expect(await page.locator('img:not(#qr)').count()).toBe(0);
    expect(await page.textContent('#fingerprint')).toBe(draft.fingerprint);
    expect(await page.textContent('#expiry')).toMatch(/Expires in 1[45]:\d\d/);
    expect(await page.getAttribute('#uri', 'href')).toMatch(/^pactus:tpc1r.*amount=2\.000000005&memo=%3Cimg/);
    expect(await page.getAttribute('label[for=secret]', 'for')).toBe('secret');

    await page.fill('#secret', DEFAULT_DEVNET_MNEMONIC);
    await page.click('#sign-button');
    await page.waitForSelector('#result:not([hidden])');
    expect(await page.textContent('#tx-id')).toBe(draft.view.id);
    await page.waitForFunction(
      () => document.querySelector('#result-text')?.textContent?.startsWith('Confirmed in block'),
      null,
      {
        timeout: 15_000,
      },
    );
    const row = (await draftById(s.db, draft.draftId))!;
    expect(row.status).toBe('confirmed');
    expect(await page.textContent('#result-text')).toBe(`Confirmed in block ${row.blockHeight}.`);
    expect(await page.inputValue('#secret')).toBe('');
    expect(captured.dialogs).toEqual([]);
    expect(captured.errors).toEqual([]);

    const seed = mnemonicToSeed(DEFAULT_DEVNET_MNEMONIC);
    const secrets = [
      DEFAULT_DEVNET_MNEMONIC,
      DEFAULT_DEVNET_MNEMONIC.split(' ').slice(0, 3).join(' '),
      bytesToHex(seed),
      bytesToHex(from.key.bytes),
      from.key.toString('testnet'),
    ];
    expectNoSecrets(captured, secrets);
    const post = captured.requests.find((r) => r.method === 'POST')!;
    expect(Object.keys(JSON.parse(post.body))).toEqual(['signedTx']);
    expectCspEverywhere(captured);
    await page.close();
  });

  it('refuses a mnemonic that does not hold the signer, and a malformed one', async () => {
    const from = devnetAccount(s.devnet, 'ed25519-account', 2);
    const draft = await s.wallet.drafting.transfer(await s.account('e2e-wrong'), {
      from: t(from),
      to: t(devnetAccount(s.devnet, 'ed25519-account', 3)),
      amount: PAC,
    });
    const { page, captured } = await open(draft.url);
    const other =
      'abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about';
    await page.fill('#secret', other);
    await page.click('#sign-button');
    await page.waitForSelector('#error:not([hidden])');
    expect(await page.textContent('#error')).toMatch(
      new RegExp(`does not hold ${t(from)}.*first 8 Ed25519 account keys`),
    );
    await page.fill('#secret', 'west dice keen expand cattle cram weasel coin burger guide diet vivi');
    await page.click('#sign-button');
    await page.waitForFunction(() => /not valid/.test(document.querySelector('#error')?.textContent ?? ''));
    const wrongKey = devnetAccount(s.devnet, 'ed25519-account', 3).key.toString('testnet');
    await page.fill('#secret', wrongKey);
    await page.click('#sign-button');
    await page.waitForFunction(() =>
      /does not belong/.test(document.querySelector('#error')?.textContent ?? ''),
    );
    expect(captured.requests.filter((r) => r.method === 'POST')).toEqual([]);
    expect((await draftById(s.db, draft.draftId))!.status).toBe('pending');
    expectNoSecrets(captured, [other, wrongKey]);
    await page.close();
  });

  it('signs a wallet-link message with a BLS key from the mnemonic', async () => {
    const req = await s.account('e2e-link');
    const bls = devnetAccount(s.devnet, 'bls-account', 2);
    const challenge = await s.wallet.linking.start(req, t(bls), 'e2e-link');
    const { page, captured } = await open(challenge.url);
    expect(await page.textContent('#title')).toBe('Sign a message');
    expect(await page.textContent('#message')).toBe(challenge.message);
    await page.fill('#secret', DEFAULT_DEVNET_MNEMONIC);
    await page.click('#sign-button');
    await page.waitForFunction(() =>
      document.querySelector('#result-text')?.textContent?.startsWith('Signed by'),
    );
    expect((await linkedAddressesOf(s.db, req.chatAccountId)).map((a) => a.address)).toEqual([t(bls)]);
    expectNoSecrets(captured, [DEFAULT_DEVNET_MNEMONIC, bls.key.toString('testnet')]);
    expectCspEverywhere(captured);
    await page.close();
  });

  it('a used link shows why it cannot be used', async () => {
    const from = devnetAccount(s.devnet, 'ed25519-account', 0);
    const draft = await s.wallet.drafting.transfer(await s.account('e2e-used'), {
      from: t(from),
      to: t(devnetAccount(s.devnet, 'ed25519-account', 1)),
      amount: PAC,
      memo: 'twice',
    });
    const first = await open(draft.url);
    await first.page.fill('#secret', DEFAULT_DEVNET_MNEMONIC);
    await first.page.click('#sign-button');
    await first.page.waitForSelector('#result:not([hidden])');
    const second = await open(draft.url);
    expect(await second.page.textContent('#error')).toMatch(/already used/);
    expect(await second.page.isHidden('#sign-form')).toBe(true);
    await first.page.close();
    await second.page.close();
  });

  it('fits a phone-width screen', async () => {
    const from = devnetAccount(s.devnet, 'bls-account', 0);
    const draft = await s.wallet.drafting.transfer(await s.account('e2e-phone'), {
      from: t(from),
      to: t(devnetAccount(s.devnet, 'ed25519-account', 1)),
      amount: PAC,
    });
    const { page } = await open(draft.url);
    await page.setViewportSize({ width: 360, height: 740 });
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    expect(overflow).toBeLessThanOrEqual(0);
    await page.close();
  });
});
