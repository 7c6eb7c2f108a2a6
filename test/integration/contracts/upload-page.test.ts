// The contract upload page: "upload a contract" gives a one-time link; in real Chromium the file is uploaded and
// the report shown (as text); the link then refuses a second upload; the chat simulates the uploaded contract.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { replyToText } from '../../../agents/reply.js';
import { loadContract } from '../../../contracts/load.js';
import { startApp } from '../../support/bot-app.js';
import { launchChromium } from '../../support/browser.js';
import { COUNTER_WAT } from '../../support/contracts.js';

let harness: Awaited<ReturnType<typeof startApp>>;
beforeAll(async () => {
  harness = await startApp();
});
afterAll(() => harness.close());

const say = (text: string, user = 'uploader') =>
  harness.app.conversation.handle({
    platform: 'console',
    user: { id: user },
    chat: { id: `dm-${user}`, private: true },
    text,
  });

it('upload a contract: one-time link, the report on the page, then simulated in the chat', async () => {
  const asked = await say('upload a contract');
  expect(asked.visibility).toBe('private');
  const link = asked.buttons.find((b) => b.type === 'link');
  expect(link?.type === 'link' && link.url).toMatch(/\/c\/[A-Za-z0-9_-]{43}$/);
  const url = new URL((link as { url: string }).url);
  const local = `${harness.app.signerLocalUrl.replace(/\/+$/, '')}${url.pathname}`;
  const { wasm } = await loadContract(COUNTER_WAT);
  const chromium = await launchChromium();
  try {
    const page = await chromium.browser.newPage();
    /** Opens the link, chooses the counter and presses "Check it"; resolves with the text shown in `shown`. */
    const upload = async (shown: '#report' | '#error') => {
      await page.goto(local);
      await page.setInputFiles('#file', {
        name: 'counter.wasm',
        mimeType: 'application/wasm',
        buffer: Buffer.from(wasm),
      });
      await page.click('#upload');
      await page.waitForSelector(`${shown}:not([hidden])`, { timeout: 20_000 });
      return page.textContent(shown);
    };
    expect(await upload('#report')).toMatch(/Checks passed; init ran in the sandbox/);
    expect(await upload('#error')).toMatch(/used or has expired/); // the link worked once
  } finally {
    await chromium.close();
  }
  expect(replyToText(await say('simulate increment(); increment() on it'))).toMatch(/increment → 2/);
  // A malformed token is refused before the database is asked.
  const bad = await fetch(`${harness.app.signerLocalUrl.replace(/\/+$/, '')}/api/contracts/short`, {
    method: 'POST',
    headers: { 'content-type': 'application/octet-stream' },
    body: wasm,
  });
  expect(bad.status).toBe(400);
});
