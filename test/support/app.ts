import type { BaseChatModel } from '@langchain/core/language_models/chat_models';
import { BotAgent } from '../../agents/agent.js';
import { buildRegistry } from '../../agents/catalog.js';
import type { Services } from '../../agents/context.js';
import { createRulesParser } from '../../agents/rules/index.js';
import { Conversation } from '../../bot/core/conversation.js';
import type { ChatEvent } from '../../bot/core/event.js';
import type { Stack } from './stack.js';
import { ContractService } from '../../contracts/service.js';

/** The conversation core over a test stack, with the rules model or a given chat model. */
export function conversationFor(
  stack: Stack,
  llm?: BaseChatModel,
  admins: string[] = [],
  rateLimit = { burst: 1000, perMinute: 100_000 },
) {
  const catalog = buildRegistry();
  const parser = createRulesParser('testnet', catalog.rules);
  const services: Services = {
    wallet: stack.wallet,
    network: 'testnet',
    logger: stack.logger,
    contracts: new ContractService(stack.wallet.db),
  };
  const agent = new BotAgent({ registry: catalog.actions, parser, logger: stack.logger, llm });
  const conversation = new Conversation({
    registry: catalog.actions,
    agent,
    services,
    logger: stack.logger,
    admins: new Set(admins),
    rateLimit,
  });
  return { conversation, agent, catalog, parser, services };
}

export function dm(text: string, user = 'u1', platform: ChatEvent['platform'] = 'console'): ChatEvent {
  return { platform, user: { id: user, name: user }, chat: { id: `dm-${user}`, private: true }, text };
}

export function inGroup(text: string, user = 'u1', platform: ChatEvent['platform'] = 'discord'): ChatEvent {
  return { platform, user: { id: user, name: user }, chat: { id: 'group-1', private: false }, text };
}
