// The signer page: what it weighs, how long signing takes in Chromium, and submit -> broadcast latency.
import { gzipSync } from 'node:zlib';
import { encodeTransactionHex, signTransaction } from '../pactus/index.js';
import { loadPageAssets } from '../signer-web/server/assets.js';
import { launchChromium } from '../test/support/browser.js';
import { http } from '../test/support/http.js';
import { startStack } from '../test/support/stack.js';
import { PAC, devnetAccount } from '../test/support/txs.js';
import { heading, summarizeLatencies } from './harness.js';

export async function run(): Promise<void> {
  heading('signer page and server');
  const assets = await loadPageAssets();
  const sizes = {
    html: gzipSync(assets.html).length,
    js: gzipSync(assets.js).length,
    css: gzipSync(assets.css).length,
  };
  const total = sizes.html + sizes.js + sizes.css;
  console.log(
    `${'page weight, gzip (html + js + css)'.padEnd(44)} ${(total / 1024).toFixed(1)} KiB = ${(sizes.html / 1024).toFixed(1)} + ${(sizes.js / 1024).toFixed(1)} + ${(sizes.css / 1024).toFixed(1)} (budget 60 KiB; js ${(assets.js.length / 1024).toFixed(0)} KiB raw)`,
  );

  const s = await startStack({ devnet: { blockMs: 1000 } });
  const t = (k: { address: { toString(n: 'testnet'): string } }) => k.address.toString('testnet');
  const { browser, close } = await launchChromium();
  try {
    for (const [label, purpose] of [
      ['sign in Chromium, Ed25519 (private key)', 'ed25519-account'],
      ['sign in Chromium, BLS (private key)', 'bls-account'],
    ] as const) {
      const samples: number[] = [];
      for (let i = 0; i < 6; i++) {
        const from = devnetAccount(s.devnet, purpose, i % 4);
        const d = await s.wallet.drafting.transfer(await s.account(`bench-${purpose}`), {
          from: t(from),
          to: t(devnetAccount(s.devnet, 'ed25519-account', (i + 1) % 4 === i % 4 ? 0 : (i + 1) % 4)),
          amount: PAC,
          memo: `bench ${i}`,
        });
        const page = await browser.newPage();
        await page.goto(d.url);
        await page.waitForSelector('#sign-form:not([hidden])');
        await page.fill('#secret', from.key.toString('testnet'));
        const posted = page.waitForRequest((r) => r.method() === 'POST');
        const started = Date.now();
        await page.click('#sign-button');
        await posted;
        if (i > 0) samples.push(Date.now() - started - 20); // minus the 20 ms the page yields to paint
        await page.close();
      }
      summarizeLatencies(label, samples);
    }
    const mnemonicSamples: number[] = [];
    for (let i = 0; i < 4; i++) {
      const from = devnetAccount(s.devnet, 'ed25519-account', 3);
      const d = await s.wallet.drafting.transfer(await s.account('bench-m'), {
        from: t(from),
        to: t(devnetAccount(s.devnet, 'bls-account', 0)),
        amount: PAC,
        memo: `m${i}`,
      });
      const page = await browser.newPage();
      await page.goto(d.url);
      await page.waitForSelector('#sign-form:not([hidden])');
      await page.fill('#secret', s.devnet.mnemonic);
      const posted = page.waitForRequest((r) => r.method() === 'POST');
      const started = Date.now();
      await page.click('#sign-button');
      await posted;
      mnemonicSamples.push(Date.now() - started - 20);
      await page.close();
    }
    summarizeLatencies('mnemonic -> key #3 -> sign, in Chromium', mnemonicSamples);
  } finally {
    await close();
  }

  const submits: number[] = [];
  for (let i = 0; i < 30; i++) {
    const from = devnetAccount(s.devnet, 'ed25519-account', i % 4);
    const d = await s.wallet.drafting.transfer(await s.account('bench-submit'), {
      from: t(from),
      to: t(devnetAccount(s.devnet, 'bls-account', 1)),
      amount: PAC,
      memo: `s${i}`,
    });
    const body = { signedTx: encodeTransactionHex(signTransaction(d.tx, from.key)) };
    const started = performance.now();
    const r = await http(d.url.replace('/s/', '/api/links/'), { json: body });
    submits.push(performance.now() - started);
    if (r.status !== 200) throw new Error(`submit failed: ${JSON.stringify(r.body)}`);
  }
  summarizeLatencies('POST signed tx -> verified + broadcast', submits);
  await s.close();
}
