// `npm run eval`: accuracy of the rules model (and of the local LLM when LLM_MODEL_PATH is set) per action.
import { buildRegistry } from '../../agents/catalog.js';
import { createRulesParser, understand } from '../../agents/rules/index.js';
import { loadEvalCases, score, type EvalResult } from './dataset.js';

function print(name: string, result: EvalResult): void {
  console.log(
    `\n${name}: ${result.passed}/${result.total} = ${((100 * result.passed) / result.total).toFixed(1)}%`,
  );
  for (const [action, b] of [...result.perAction.entries()].sort())
    console.log(
      `  ${action.padEnd(22)} ${String(b.passed).padStart(3)}/${String(b.total).padEnd(3)} ${((100 * b.passed) / b.total).toFixed(0).padStart(3)}%`,
    );
  for (const f of result.failures.slice(0, 40))
    console.log(
      `  MISS ${f.case.file}:${f.case.line} ${JSON.stringify(f.case.text).slice(0, 100)} -> ${JSON.stringify(f.got).slice(0, 160)}`,
    );
}

const cases = loadEvalCases();
const registry = buildRegistry();
const parser = createRulesParser('testnet', registry.rules);
print('rules model', await score(cases, async (text) => understand(text, parser, registry.actions)));
if (process.env.LLM_MODEL_PATH) {
  const { evaluateLlm } = await import('./llm.js');
  print(`local LLM (${process.env.LLM_MODEL_PATH})`, await evaluateLlm(cases));
}
