import { expect, it } from 'vitest';
import { bundleForBrowser } from '../../support/bundle.js';

it('pactus/ bundles for the browser without any Node built-in or non-noble/scure dependency', async () => {
  const bundle = await bundleForBrowser('pactus/index.ts');
  const outside = bundle.inputs.filter(
    (input) => !input.startsWith('pactus/') && !/^node_modules\/@(noble|scure)\//.test(input),
  );
  expect(outside).toEqual([]);
  expect(bundle.inputs.some((i) => /^(chain|devnet)\//.test(i))).toBe(false);
  const text = new TextDecoder().decode(bundle.code);
  expect(text).not.toMatch(/from\s*["']node:|require\(["'](node:)?(fs|crypto|path|os|net|http)["']\)/);
});
