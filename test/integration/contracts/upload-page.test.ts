// The contract upload page: "upload a contract" gives a one-time link; in real Chromium the file is uploaded and
// the report shown (as text); the link then refuses a second upload; the chat simulates the uploaded contract.
// Generated hostile files through the same route (the 180 KB of nested blocks returned 500 and left the
// bot at 3.4 GB) end as reports naming the limit, with the bot's memory bounded and the next upload served.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { replyToText } from '../../../agents/reply.js';
import { loadContract } from '../../../contracts/load.js';
import { startApp } from '../../support/bot-app.js';
import { launchChromium } from '../../support/browser.js';
import fc from 'fast-check';
import {
  anywhere,
  COUNTER_WAT,
  FINDING_WORDS,
  peakMemoryKb,
  resetPeakMemory,
} from '../../support/contracts.js';
import {
  deepNesting,
  growBomb,
  hugeFunction,
  manyImports,
  watNesting,
  type Hostile,
} from '../../support/hostile-wasm.js';

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

/** Asks for an upload link in the chat and posts the file through it, as the page does; the status and report. */
async function uploadThroughLink(
  name: string,
  bytes: Uint8Array<ArrayBuffer>,
): Promise<{ status: number; report: string }> {
  const asked = await say('upload a contract');
  const link = asked.buttons.find((b) => b.type === 'link') as { url: string };
  const local = `${harness.app.signerLocalUrl.replace(/\/+$/, '')}/api/contracts/${new URL(link.url).pathname.split('/').pop()}`;
  const response = await fetch(local, {
    method: 'POST',
    headers: { 'content-type': 'application/octet-stream', 'x-file-name': encodeURIComponent(name) },
    body: bytes,
  });
  const body = (await response.json()) as { report?: string };
  return { status: response.status, report: body.report ?? JSON.stringify(body) };
}

it('hostile uploads end as reports naming the limit; memory bounded; the next upload is served', async () => {
  const before = resetPeakMemory();
  const seed = Date.now() % 100_000;
  const sample: Hostile[] = [
    ...fc.sample(deepNesting, { seed, numRuns: 1 }),
    ...fc.sample(watNesting(20_000), { seed, numRuns: 1 }),
    ...fc.sample(growBomb, { seed, numRuns: 1 }),
    ...fc.sample(hugeFunction, { seed, numRuns: 1 }),
    ...fc.sample(manyImports, { seed, numRuns: 1 }),
  ];
  for (const h of sample) {
    const wat = typeof h.input === 'string';
    const bytes = wat ? new TextEncoder().encode(h.input as string) : (h.input as Uint8Array<ArrayBuffer>);
    const { status, report } = await uploadThroughLink(wat ? 'hostile.wat' : 'hostile.wasm', bytes);
    // A module that does not load is a 422 with its report (the link stays usable); any other, 200.
    expect(status, h.family).toBe('refused' in h.expect ? 422 : 200);
    if ('refused' in h.expect) expect(report, h.family).toMatch(h.expect.refused);
    else if ('finding' in h.expect) expect(report, h.family).toMatch(FINDING_WORDS[h.expect.finding]!);
    else if ('init' in h.expect)
      expect(report, h.family).toMatch(
        h.expect.init === 'ok' ? /Checks passed; init ran in the sandbox/ : anywhere(h.expect.init),
      );
  }
  const { wasm } = await loadContract(COUNTER_WAT);
  expect((await uploadThroughLink('counter.wasm', wasm)).report).toMatch(/Checks passed; init ran/);
  // Before the jail, the nested blocks alone left the bot at 3.4 GB.
  expect(peakMemoryKb() - before).toBeLessThan(150 * 1024);
});
