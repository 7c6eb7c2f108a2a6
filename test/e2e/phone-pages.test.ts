// Every kind of signer page on a phone (390 px) and a desktop (1,280 px) in real Chromium: screenshots go to
// test/e2e/artifacts/ for people to look at, and the test checks what a person on a phone relies on: the QR code
// decodes to the exact PIP-42 URI, an error after "Sign" is inside the viewport and focused, addresses wrap
// between groups, times read in words, the badge says Devnet, ballots and vetoes show title and choice in large
// type, contact names and look-alike warnings sit beside the address, nothing offers a second payment after
// the first is signed, and a person's limits and undo window (countdown, Cancel) read well.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import jsQRModule from 'jsqr';
import type { BrowserContext, Page } from 'playwright-core';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_DEVNET_MNEMONIC } from '../../devnet/index.js';
import { PrivateKey, signMessage } from '../../pactus/index.js';
import { PayloadType } from '../../pactus/tx-types.js';
import { buildPaymentUri } from '../../pactus/uri.js';
import { parseAddressFor } from '../../pactus/address.js';
import { loadPageAssets } from '../../signer-web/server/assets.js';
import { saveContact } from '../../wallet/contacts.js';
import { addLinkedAddress, ensureChatAccount } from '../../wallet/index.js';
import { cancelDraft } from '../../wallet/drafts.js';
import { limitSettingsOf } from '../../wallet/limits/gate.js';
import { changeLimit, type LimitChange } from '../../wallet/limits/settings.js';
import { transactionId } from '../../pactus/tx.js';
import { newLinkToken } from '../../wallet/tokens.js';
import { storeUploadToken } from '../../contracts/uploads.js';
import { launchChromium } from '../support/browser.js';
import { startApp } from '../support/bot-app.js';
import { waitForHeight } from '../support/devnet.js';
import { http, linkApi } from '../support/http.js';
import { PAC, devnetAccount, signedTx } from '../support/txs.js';
import { waitFor } from '../support/wait.js';
import { lookAlikeOf, seededRandom } from '../support/look-alike-forge.js';

// jsqr is CommonJS with an ES-style `default`; Node hands the whole module.exports to a default import.
const jsQR = (jsQRModule as unknown as { default: typeof jsQRModule.default }).default;
const ARTIFACTS = join(import.meta.dirname, 'artifacts');
const WIDTHS = [390, 1280] as const;
const team = PrivateKey.fromBytes('bls', new Uint8Array(32).fill(78));
let harness: Awaited<ReturnType<typeof startApp>>;
let browser: BrowserContext;
let closeBrowser: () => Promise<void>;

/** A BLS key nobody else uses, from a one-byte seed. */
const fresh = (seed: number) => PrivateKey.fromBytes('bls', new Uint8Array(32).fill(seed));
const t = (key: { address: { toString(n: 'testnet'): string } }) => key.address.toString('testnet');
const app = () => harness.app;
const validator = (i: number) => app().devnet!.chain.keys.validators[i]!;
const requester = async (user: string) => ({
  chatAccountId: await ensureChatAccount(app().db, { platform: 'console', userId: user }),
  platform: 'console',
  chatId: null,
});

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  harness = await startApp({
    GOV_MIN_DURATION_MINUTES: '0',
    GOV_TEAM_KEYS: team.publicKey().toString('testnet'),
  });
  ({ browser, close: closeBrowser } = await launchChromium());
  for (let i = 0; i < 4; i++)
    await addLinkedAddress(app().db, (await requester(`v${i}`)).chatAccountId, t(validator(i)));
  await addLinkedAddress(
    app().db,
    (await requester('team')).chatAccountId,
    team.publicKey().accountAddress().toString('testnet'),
  );
  await addLinkedAddress(
    app().db,
    (await requester('payer')).chatAccountId,
    t(devnetAccount(app().devnet!, 'ed25519-account', 0)),
  );
}, 60_000);
afterAll(async () => {
  await closeBrowser?.();
  await harness?.close();
});

async function open(url: string, width: number): Promise<Page> {
  const page = await browser.newPage();
  await page.setViewportSize({ width, height: width < 500 ? 844 : 900 });
  await page.goto(url);
  await page.waitForSelector('#summary:not([hidden]), #error:not([hidden]), #upload-form');
  return page;
}

/** Opens the page at both widths, saves the screenshots, runs the checks on each, and closes it. */
async function shoot(name: string, url: string, check?: (page: Page, width: number) => Promise<void>) {
  for (const width of WIDTHS) {
    const page = await open(url, width);
    await page.screenshot({ path: join(ARTIFACTS, `${name}-${width}.png`), fullPage: true });
    const text = await page.innerText('body');
    expect(text, name).not.toMatch(/\b1 (hours|minutes|days|blocks)\b/);
    expect(text, name).not.toMatch(/\b0 (hours|minutes|days)\b/);
    // No address group breaks across lines, and the address still copies as one word.
    const groups = await page.$$eval('.address', (nodes) =>
      nodes.map((n) => ({
        text: n.textContent ?? '',
        broken: [...n.children].filter((g) => g.getClientRects().length !== 1).length,
      })),
    );
    for (const g of groups) {
      expect(g.broken, `${name} ${g.text}`).toBe(0);
      expect(g.text).not.toMatch(/\s/);
    }
    await check?.(page, width);
    await page.close();
  }
}

async function signMessageLink(url: string, keys: PrivateKey[]): Promise<void> {
  const api = linkApi(url);
  const link = await http<{ message: string }>(api);
  const signed = await http(api, {
    json: {
      signatures: keys.map((k) => ({
        signature: signMessage(k, link.body.message),
        publicKey: k.publicKey().toString('testnet'),
      })),
    },
  });
  expect(signed.status).toBe(200);
}

describe('signer pages on a phone and a desktop', () => {
  it('stays within its budget of 60 KiB gzip and has a favicon', async () => {
    const assets = await loadPageAssets();
    const gz = (b: string | Uint8Array) => gzipSync(typeof b === 'string' ? Buffer.from(b) : b).length;
    const total = gz(assets.html) + gz(assets.js) + gz(assets.css);
    expect(total).toBeLessThanOrEqual(60 * 1024);
    expect(assets.html).toContain('rel="icon" href="/favicon.svg"');
    const icon = await fetch(`${app().signerLocalUrl}/favicon.svg`);
    expect(icon.status).toBe(200);
    expect(icon.headers.get('content-type')).toMatch(/^image\/svg\+xml/);
    // The QR route draws payment URIs only: it is no general-purpose QR service on this origin.
    expect(
      (await fetch(`${app().signerLocalUrl}/qr.svg?d=${encodeURIComponent('https://evil.example')}`)).status,
    ).toBe(400);
  });

  it('transfer to a contact: name beside the address, QR of the exact URI, Devnet badge; nothing to re-pay after signing', async () => {
    const payer = await requester('payer');
    const to = t(devnetAccount(app().devnet!, 'ed25519-account', 1));
    await saveContact(app().db, payer.chatAccountId, 'alice', to, Date.now());
    const draft = await app().wallet.drafting.transfer(payer, { to, amount: 5n * PAC, memo: 'rent' });
    const expected = buildPaymentUri(
      { address: parseAddressFor(to, 'testnet'), amount: 5n * PAC, memo: 'rent' },
      'testnet',
    );
    await shoot('transfer', draft.url, async (page) => {
      expect(await page.textContent('#network')).toBe('Devnet');
      expect(await page.textContent('#details')).toContain(`${to}alice (your contact)`);
      expect(await page.isHidden('#warnings')).toBe(true);
      expect(await page.getAttribute('#uri', 'href')).toBe(expected);
      await page.waitForFunction(() => (document.querySelector('#qr') as HTMLImageElement).naturalWidth > 0);
      const png = PNG.sync.read(await page.locator('#qr').screenshot());
      const decoded = jsQR(new Uint8ClampedArray(png.data), png.width, png.height);
      expect(decoded?.data).toBe(expected);
    });
    const page = await open(draft.url, 390);
    await page.fill('#secret', DEFAULT_DEVNET_MNEMONIC);
    await page.click('#sign-button');
    await page.waitForFunction(
      () => document.querySelector('#result-text')?.textContent?.startsWith('Confirmed'),
      null,
      {
        timeout: 15_000,
      },
    );
    expect(await page.isHidden('#alt')).toBe(true);
    await page.screenshot({ path: join(ARTIFACTS, 'transfer-confirmed-390.png'), fullPage: true });
    await page.close();
  });

  it('a look-alike of a contact and a first-time recipient are called out on the page', async () => {
    const payer = await requester('payer');
    const typed = t(devnetAccount(app().devnet!, 'ed25519-account', 2));
    const meant = `${typed.slice(0, 9)}${'q'.repeat(typed.length - 15)}${typed.slice(-6)}`;
    await saveContact(app().db, payer.chatAccountId, 'carol', meant, Date.now());
    const draft = await app().wallet.drafting.transfer(payer, { to: typed, amount: PAC });
    await shoot('transfer-look-alike', draft.url, async (page) => {
      const warning = await page.textContent('#warnings');
      expect(warning).toContain(`Careful: ${typed} looks like your contact carol (${meant})`);
      expect(await page.textContent('#details')).toContain('look-alike address');
    });
    const fresh = t(devnetAccount(app().devnet!, 'ed25519-account', 3));
    const first = await app().wallet.drafting.transfer(payer, { to: fresh, amount: PAC });
    const page = await open(first.url, 390);
    expect(await page.textContent('#warnings')).toBe(
      `You have not paid ${fresh} before: check it against where you got it.`,
    );
    await page.close();
  });

  it('an error after "Sign" on a long page is inside the viewport, focused and announced', async () => {
    const payer = await requester('payer');
    const recipients = [1, 2, 3, 4, 5, 6, 7, 8].map((i) => ({
      to: fresh(i).publicKey().accountAddress().toString('testnet'),
      amount: BigInt(i) * PAC,
    }));
    const draft = await app().wallet.drafting.batchTransfer(payer, { recipients, memo: 'payroll' });
    await shoot('batch', draft.url);
    const page = await open(draft.url, 390);
    // A valid recovery phrase that does not hold the signer's key.
    await page.fill('#secret', `${'abandon '.repeat(11)}about`);
    await page.click('#sign-button');
    await page.waitForSelector('#error:not([hidden])');
    const seen = await page.evaluate(() => {
      const box = document.querySelector('#error')!.getBoundingClientRect();
      return {
        inside: box.top >= 0 && box.bottom <= window.innerHeight,
        focused: document.activeElement?.id,
        role: document.querySelector('#error')!.getAttribute('role'),
        scrolled: window.scrollY > 0,
      };
    });
    expect(seen).toEqual({ inside: true, focused: 'error', role: 'alert', scrolled: true });
    await page.screenshot({ path: join(ARTIFACTS, 'batch-error-390.png') });
    await page.close();
  });

  it('bond, unbond and withdraw pages say when things happen in words', async () => {
    const payer = await requester('payer');
    const newValidator = fresh(20).publicKey();
    const bond = await app().wallet.drafting.bond(payer, {
      validator: newValidator.validatorAddress().toString('testnet'),
      validatorPublicKey: newValidator.toString('testnet'),
      amount: 2n * PAC,
    });
    await shoot('bond', bond.url);
    const unbond = await app().wallet.drafting.unbond(await requester('v1'), { validator: t(validator(1)) });
    await shoot('unbond', unbond.url, async (page) => {
      expect(await page.textContent('#details')).toMatch(
        /can be withdrawn 3 blocks after this is mined \((less than a minute|about a minute)\)/,
      );
    });
    // A stake that has finished unbonding, for the withdraw page.
    const unbonding = fresh(43);
    const owner = devnetAccount(app().devnet!, 'ed25519-account', 3);
    const devnet = app().devnet!;
    const mined = async (hex: string) => {
      await app().node.broadcastTransaction(hex);
      await waitForHeight(devnet, devnet.chain.height + 2);
    };
    const v = unbonding.publicKey().validatorAddress();
    await mined(
      signedTx(devnet, owner.key, {
        type: PayloadType.Bond,
        from: owner.address,
        to: v,
        publicKey: unbonding.publicKey().bytes,
        stake: 3n * PAC,
        delegation: null,
      }).hex,
    );
    await mined(
      signedTx(devnet, unbonding, { type: PayloadType.Unbond, validator: v, delegateOwner: null }).hex,
    );
    await waitForHeight(devnet, devnet.chain.height + devnet.chain.unbondInterval + 1);
    const holder = await requester('holder');
    await addLinkedAddress(app().db, holder.chatAccountId, v.toString('testnet'));
    const withdraw = await app().wallet.drafting.withdraw(holder, {
      validator: v.toString('testnet'),
      to: t(owner),
      amount: 'all',
    });
    await shoot('withdraw', withdraw.url);
  }, 60_000);

  it('proposal, ballot and veto pages show the title and the choice in large type', async () => {
    const proposer = await requester('v0');
    const title = 'Fund a block explorer for phones';
    const proposed = await app().governance.propose(proposer, {
      title,
      body: 'Grant 1,000 PAC.',
      durationMs: 5_000,
    });
    await shoot('proposal', proposed.link.url, async (page) => {
      expect(await page.textContent('#headline-action')).toBe('Propose');
      expect(await page.textContent('#headline-title')).toBe(title);
    });
    await signMessageLink(proposed.link.url, [validator(0).key]);
    const id = proposed.proposalId;
    for (const i of [1, 2, 3]) {
      const ballot = await app().governance.vote(await requester(`v${i}`), { proposalId: id, choice: 'yes' });
      if (i === 1)
        await shoot('ballot', ballot.link.url, async (page) => {
          expect(await page.textContent('#headline-action')).toBe('Vote YES');
          expect(await page.textContent('#headline-title')).toBe(title);
          expect(await page.textContent('#headline-meta')).toMatch(
            new RegExp(`^Proposal #${id} · voting closes (in |now)`),
          );
          const size = await page.$eval('#headline-action', (n) => parseFloat(getComputedStyle(n).fontSize));
          expect(size).toBeGreaterThanOrEqual(28);
        });
      await signMessageLink(ballot.link.url, [validator(i).key]);
    }
    await waitFor(async () => ((await app().governance.get(id)).status === 'closed' ? true : null), 30_000);
    expect((await app().governance.get(id)).outcome).toBe('passed');
    const veto = await app().governance.veto(await requester('team'), {
      proposalId: id,
      reason: 'The grant skips the audit the rules require.',
    });
    await shoot('veto', veto.link.url, async (page) => {
      expect(await page.textContent('#headline-action')).toBe('Veto');
      expect(await page.textContent('#headline-title')).toBe(title);
      expect(await page.textContent('#headline-meta')).toContain('Reason: The grant skips the audit');
    });
  }, 60_000);

  it('delegation and revocation pages name the delegate whole; a delegated ballot says whose votes it carries', async () => {
    const delegate = fresh(70).publicKey().accountAddress().toString('testnet');
    await addLinkedAddress(app().db, (await requester('delegate')).chatAccountId, delegate);
    // v1 knows an address that shares the delegate's first 2 and last 4 random characters: the delegate is
    // flagged as a look-alike of it beside the address the page read from the signed text, and warned about.
    const dana = lookAlikeOf(delegate, 2, 4, seededRandom(3436));
    await saveContact(app().db, (await requester('v1')).chatAccountId, 'dana', dana, Date.now());
    const delegation = await app().governance.delegate(await requester('v1'), { to: delegate });
    await shoot('delegation', delegation.link.url, async (page) => {
      expect(await page.textContent('#headline-action')).toBe('Delegate votes');
      expect(await page.textContent('#headline-title')).toBe('Another address votes for you');
      expect(await page.textContent('#headline-meta')).toMatch(/^From block \d+; open proposals unchanged$/);
      expect(await page.textContent('#details')).toContain(`Delegate${delegate}look-alike address`);
      expect(await page.textContent('#warnings')).toBe(
        `Careful: ${delegate} looks like your contact dana (${dana}) but is a different address. Address-poisoning scams rely on this; compare every character.`,
      );
    });
    await signMessageLink(delegation.link.url, [validator(1).key]);
    const second = await app().governance.delegate(await requester('v2'), { to: delegate });
    await signMessageLink(second.link.url, [validator(2).key]);
    const revocation = await app().governance.revoke(await requester('v2'), {});
    await shoot('delegation-revoke', revocation.link.url, async (page) => {
      expect(await page.textContent('#headline-action')).toBe('Revoke delegation');
      expect(await page.textContent('#headline-title')).toBe('Vote only for yourself');
    });
    // Delegations count from the block after they were made.
    const devnet = app().devnet!;
    await waitForHeight(devnet, devnet.chain.height + 1);
    const title = 'Run a faucet for new validators';
    const proposed = await app().governance.propose(await requester('v0'), {
      title,
      body: 'Fund it for a year.',
      durationMs: 120_000,
    });
    await signMessageLink(proposed.link.url, [validator(0).key]);
    const ballot = await app().governance.vote(await requester('delegate'), {
      proposalId: proposed.proposalId,
      choice: 'yes',
    });
    expect(ballot.weight).toBe(2000n * PAC);
    await shoot('ballot-delegated', ballot.link.url, async (page) => {
      expect(await page.textContent('#headline-action')).toBe('Vote YES');
      expect(await page.textContent('#headline-title')).toBe(title);
      expect(await page.textContent('#headline-meta')).toMatch(
        new RegExp(
          `^Proposal #${proposed.proposalId} · voting closes in .* · \\+2,000 PAC delegated by 2 holder\\(s\\)$`,
        ),
      );
    });
  });

  it('a wallet-link message, a cancelled link and the upload page are screenshotted too', async () => {
    const newcomer = await requester('newcomer');
    const linking = await app().wallet.linking.start(
      newcomer,
      fresh(50).publicKey().accountAddress().toString('testnet'),
      'newcomer',
    );
    await shoot('link-wallet', linking.url, async (page) => {
      expect(await page.textContent('#title')).toBe('Sign a message');
    });
    const payer = await requester('payer');
    const cancelled = await app().wallet.drafting.transfer(payer, {
      to: fresh(60).publicKey().accountAddress().toString('testnet'),
      amount: PAC,
    });
    expect(await cancelDraft(app().db, cancelled.draftId, payer.chatAccountId, Date.now())).toBe(true);
    await shoot('link-cancelled', cancelled.url, async (page) => {
      expect(await page.textContent('#error')).toMatch(/cancelled in chat/);
    });
    const { token, hash } = newLinkToken();
    await storeUploadToken(app().db, hash, newcomer.chatAccountId, Date.now());
    await shoot('contract-upload', `${app().signerUrl}/c/${token}`);
  });

  it('limits and the undo window: the limits a draft was checked against, a countdown with Cancel; a cancel sends nothing, the other confirms', async () => {
    // Screenshots: limits-<w>, countdown-<w>, cancelled-1280, confirmed-390.
    const careful = await requester('careful');
    const from = devnetAccount(app().devnet!, 'ed25519-account', 1);
    const to = t(devnetAccount(app().devnet!, 'ed25519-account', 2));
    await addLinkedAddress(app().db, careful.chatAccountId, t(from));
    await saveContact(app().db, careful.chatAccountId, 'bob', to, Date.now() - 2 * 86_400_000);
    for (const change of [
      { setting: 'daily_limit', value: 100n * PAC },
      { setting: 'tx_limit', value: 50n * PAC },
      { setting: 'allowlist', value: true },
      { setting: 'cooling_off', value: 86_400_000 },
      { setting: 'undo', value: 4 },
    ] as LimitChange[])
      await changeLimit(
        app().db,
        careful.chatAccountId,
        [careful.chatAccountId],
        change,
        Date.now(),
        limitSettingsOf(app().wallet.config),
      );
    const drafts = [
      await app().wallet.drafting.transfer(careful, { to, amount: 20n * PAC, memo: 'rent' }),
      await app().wallet.drafting.transfer(careful, { to, amount: 15n * PAC }),
    ];
    const pages = await Promise.all([open(drafts[0]!.url, 390), open(drafts[1]!.url, 1280)]);
    for (const [i, page] of pages.entries()) {
      const limits = await page.innerText('#limits');
      expect(limits).toContain(
        `Daily limit 100 PAC: with this one, ${i === 0 ? 20 : 35} PAC in the last 24 hours.`,
      );
      expect(limits).toContain('At most 50 PAC per transaction.');
      expect(limits).toContain('Allowlist on: only your contacts and your own wallets may receive.');
      expect(limits).toContain('A first payment to a new address waits 1 day.');
      expect(limits).toContain('After you sign, you have 4 seconds to cancel before it is sent.');
      await page.screenshot({ path: join(ARTIFACTS, `limits-${WIDTHS[i]}.png`), fullPage: true });
    }
    for (const page of pages) {
      await page.fill('#secret', DEFAULT_DEVNET_MNEMONIC);
      await page.click('#sign-button');
    }
    for (const [i, page] of pages.entries()) {
      await page.waitForFunction(() =>
        /Sending to the network in \d s/.test(document.querySelector('#result-text')?.textContent ?? ''),
      );
      expect(await page.isVisible('#hold-cancel')).toBe(true);
      await page.screenshot({ path: join(ARTIFACTS, `countdown-${WIDTHS[i]}.png`), fullPage: true });
    }
    const [phone, desktop] = pages as [Page, Page];
    await desktop.click('#hold-cancel');
    await desktop.waitForFunction(() =>
      document.querySelector('#result-text')?.textContent?.startsWith('Cancelled'),
    );
    expect(await desktop.innerText('#result-text')).toBe(
      'Cancelled on this page: nothing was sent to the network.',
    );
    expect(await desktop.isHidden('#hold-cancel')).toBe(true);
    await desktop.screenshot({ path: join(ARTIFACTS, 'cancelled-1280.png'), fullPage: true });
    await phone.waitForFunction(
      () => document.querySelector('#result-text')?.textContent?.startsWith('Confirmed'),
      null,
      { timeout: 20_000 },
    );
    expect(await phone.isHidden('#hold-cancel')).toBe(true);
    await phone.screenshot({ path: join(ARTIFACTS, 'confirmed-390.png'), fullPage: true });
    const ids = drafts.map((d) => transactionId(d.tx));
    expect(await app().node.findTransaction(ids[0]!)).not.toBeNull();
    expect(await app().node.findTransaction(ids[1]!)).toBeNull();
    expect((await app().node.getTxPoolContent()).map((x) => x.id)).not.toContain(ids[1]);
    for (const page of pages) await page.close();
  }, 60_000);

  it('generated poisoning of a past payee, an own wallet and a contact is called out on the page', async () => {
    // Screenshots: look-alike-paid-<w> (the first 7 and last 4 characters of a past payee's address),
    // look-alike-batch-<w> (an own wallet's look-alike beside a look-alike saved as a contact).
    // Imported here, so that this test is one block at the end of a file other areas add to.
    const { lookAlikeOf, randomAddress, seededRandom } = await import('../support/look-alike-forge.js');
    const { rows } = await import('../support/db.js');
    const random = seededRandom(3407);
    const poisoned = await requester('poisoned');
    await addLinkedAddress(
      app().db,
      poisoned.chatAccountId,
      t(devnetAccount(app().devnet!, 'ed25519-account', 0)),
    );
    const savings = randomAddress(random);
    await addLinkedAddress(app().db, poisoned.chatAccountId, savings);
    const carol = randomAddress(random);
    await saveContact(app().db, poisoned.chatAccountId, 'carol', carol, Date.now());
    const payee = randomAddress(random);
    const paid = await app().wallet.drafting.transfer(poisoned, { to: payee, amount: PAC });
    await rows(
      app().db,
      `UPDATE drafts SET status = 'confirmed', block_height = 5 WHERE id = '${paid.draftId}'`,
    );
    const fake = lookAlikeOf(payee, 2, 4, random);
    expect([fake.slice(0, 7), fake.slice(-4)]).toEqual([payee.slice(0, 7), payee.slice(-4)]);
    const draft = await app().wallet.drafting.transfer(poisoned, { to: fake, amount: 2n * PAC });
    await shoot('look-alike-paid', draft.url, async (page) => {
      expect(await page.innerText('#warnings')).toBe(
        `Careful: ${fake} looks like an address you paid before (${payee}) but is a different address. Address-poisoning scams rely on this; compare every character.`,
      );
      expect(await page.textContent('#details')).toContain('look-alike address');
    });
    const fakeCarol = lookAlikeOf(carol, 4, 3, random);
    await saveContact(app().db, poisoned.chatAccountId, 'carol2', fakeCarol, Date.now());
    const fakeSavings = lookAlikeOf(savings, 0, 5, random);
    const batch = await app().wallet.drafting.batchTransfer(poisoned, {
      recipients: [
        { to: carol, amount: PAC },
        { to: fakeCarol, amount: PAC },
        { to: fakeSavings, amount: 3n * PAC },
      ],
    });
    await shoot('look-alike-batch', batch.url, async (page) => {
      const warnings = await page.innerText('#warnings');
      expect(warnings).toContain(`Careful: ${fakeCarol} looks like your contact carol (${carol})`);
      // Once a look-alike is in the book, the two are called out either way: the bot cannot tell which is real.
      expect(warnings).toContain(`Careful: ${carol} looks like your contact carol2 (${fakeCarol})`);
      expect(warnings).toContain(`Careful: ${fakeSavings} looks like your own wallet (${savings})`);
      const details = await page.textContent('#details');
      expect(details).toContain(`${carol}carol (your contact)`);
      expect(details).toContain(`${fakeCarol}carol2 (your contact)look-alike address`);
      expect(details).toContain(`${fakeSavings}look-alike address`);
    });
  }, 30_000);
});
