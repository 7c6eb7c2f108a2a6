// The local LLM on the eval set (only when LLM_MODEL_PATH is set): which tool it calls, with which arguments.
import { HumanMessage, SystemMessage } from '@langchain/core/messages';
import pino from 'pino';
import { availableParallelism } from 'node:os';
import { buildRegistry } from '../../agents/catalog.js';
import { createLlamaChatModel } from '../../agents/models/llama-model.js';
import { registryTools } from '../../agents/tools.js';
import { loadPrompt, untrustedUserText } from '../../prompts/index.js';
import { score, type EvalCase } from './dataset.js';

export async function evaluateLlm(cases: EvalCase[]) {
  const logger = pino({ level: 'warn' });
  const model = await createLlamaChatModel(
    {
      modelPath: process.env.LLM_MODEL_PATH!,
      threads: Number(process.env.LLM_THREADS ?? availableParallelism()),
      contextSize: 4096,
    },
    logger,
  );
  const catalog = buildRegistry();
  const bound = model.bindTools(registryTools(catalog.actions, logger));
  const system = new SystemMessage(loadPrompt('system'));
  try {
    return await score(cases, async (text) => {
      const out = await bound.invoke([system, new HumanMessage(untrustedUserText(text))]);
      const call = out.tool_calls?.[0];
      if (!call) return { action: null };
      const parsed = catalog.actions.parseArgs(call.name, call.args);
      return 'error' in parsed ? { action: null } : { action: call.name, args: parsed.input };
    });
  } finally {
    await model.dispose();
  }
}
