import { expect, it } from 'vitest';
import { buildRegistry } from '../../../agents/catalog.js';
import { createRulesParser, understand } from '../../../agents/rules/index.js';
import { loadEvalCases, score } from '../../eval/dataset.js';

it('the rules model stays at or above 98% on the eval set (npm run eval prints the breakdown)', async () => {
  const cases = loadEvalCases();
  expect(cases.length).toBeGreaterThanOrEqual(350);
  const catalog = buildRegistry();
  const parser = createRulesParser('testnet', catalog.rules);
  const result = await score(cases, async (text) => understand(text, parser, catalog.actions));
  const misses = result.failures.map(
    (f) => `${f.case.file}:${f.case.line} ${f.case.text} -> ${JSON.stringify(f.got)}`,
  );
  expect(result.passed / result.total, misses.join('\n')).toBeGreaterThanOrEqual(0.98);
  // Every refusal in the set is covered too: expecting null and getting an action would be a wrong draft.
  expect(result.failures.filter((f) => f.case.expect.action === null)).toEqual([]);
});

it('questions, take-backs, conditions and hypotheticals never draft; every amount is exact or refused', async () => {
  const catalog = buildRegistry();
  const parser = createRulesParser('testnet', catalog.rules);
  const cases = loadEvalCases().filter((c) => c.file === 'understanding.jsonl');
  expect(cases.length).toBeGreaterThanOrEqual(120);
  for (const c of cases) {
    const got = understand(c.text, parser, catalog.actions);
    if (c.expect.action === null) expect(got.action, c.text).toBeNull();
    else expect(got, c.text).toEqual({ action: c.expect.action, args: c.expect.args });
  }
});
