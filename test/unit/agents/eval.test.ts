import { expect, it } from 'vitest';
import { buildRegistry } from '../../../agents/catalog.js';
import { createRulesParser, understand } from '../../../agents/rules/index.js';
import { loadEvalCases, score } from '../../eval/dataset.js';

it('the rules model stays at or above 95% on the eval set (npm run eval prints the breakdown)', async () => {
  const cases = loadEvalCases();
  expect(cases.length).toBeGreaterThanOrEqual(150);
  const catalog = buildRegistry();
  const parser = createRulesParser('testnet', catalog.rules);
  const result = await score(cases, async (text) => understand(text, parser, catalog.actions));
  const misses = result.failures.map(
    (f) => `${f.case.file}:${f.case.line} ${f.case.text} -> ${JSON.stringify(f.got)}`,
  );
  expect(result.passed / result.total, misses.join('\n')).toBeGreaterThanOrEqual(0.95);
  // Every refusal in the set is covered too: expecting null and getting an action would be a wrong draft.
  expect(result.failures.filter((f) => f.case.expect.action === null)).toEqual([]);
});
