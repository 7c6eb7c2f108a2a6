// The first transaction of every block: state/state.go createSubsidyTx (v1.16.0), for a proposer that is not
// delegated (the devnet's genesis validators are not).
import { Address } from '../pactus/address.js';
import { blockReward, foundationReward } from '../pactus/reward-schedule.js';
import { PayloadType, newTransaction, type Transaction } from '../pactus/tx.js';
import { foundationAddress } from './genesis.js';

/**
 * A batch transfer from the treasury, fee 0, lock time = this height: the Foundation's part to the localnet
 * Foundation address of the height (state/param/param.go), the rest of the block reward plus the block's fees to
 * the proposer's reward address. Both parts follow PIP-55's halvings at `eraEnds`.
 */
export function subsidyTx(
  height: number,
  eraEnds: readonly number[],
  rewardAddress: Address,
  fees: bigint,
): Transaction {
  const foundation = foundationReward(height, eraEnds);
  return newTransaction({
    lockTime: height,
    fee: 0n,
    payload: {
      type: PayloadType.BatchTransfer,
      from: Address.treasury(),
      recipients: [
        { to: foundationAddress(height), amount: foundation },
        { to: rewardAddress, amount: blockReward(height, eraEnds) + fees - foundation },
      ],
    },
  });
}
