import { ActionRegistry } from '../registry.js';
import { helpAction } from './help.js';
import { link, myAddresses, primary, unlink } from './linking.js';
import { account, balance } from './balances.js';
import { cancel } from './cancel.js';
import { fee, send, sendMany, stake, stakeDelegated, txStatus, unstake, withdraw } from './wallet.js';

/** The wallet actions of this bot; governance and rewards register theirs on the same registry. */
export function walletActions(): ActionRegistry {
  const registry = new ActionRegistry();
  registry.add(
    balance,
    account,
    fee,
    send,
    sendMany,
    stake,
    stakeDelegated,
    unstake,
    withdraw,
    txStatus,
    link,
    unlink,
    primary,
    myAddresses,
    cancel,
  );
  registry.add(helpAction(registry));
  return registry;
}
