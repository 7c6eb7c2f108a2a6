import type { Logger } from 'pino';
import type { Network } from '../pactus/network.js';
import type { Wallet } from '../wallet/index.js';

/** Who is asking, and where: private chats may carry personal data, group chats may not. */
export interface Caller {
  chatAccountId: number;
  platform: string;
  userId: string;
  displayName?: string;
  chatId: string;
  isPrivateChat: boolean;
  isAdmin: boolean;
}

/** Domain services the actions use; governance and rewards add theirs. */
export interface Services {
  wallet: Wallet;
  network: Network;
  logger: Logger;
  [extension: string]: unknown;
}

export interface ActionContext {
  caller: Caller;
  services: Services;
}

export function requester(caller: Caller) {
  return {
    chatAccountId: caller.chatAccountId,
    platform: caller.platform,
    chatId: caller.isPrivateChat ? null : caller.chatId,
  };
}
