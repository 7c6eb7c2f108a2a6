// The first transaction of every block: state/state.go createSubsidyTx (v1.16.0).
import { Address } from '../pactus/address.js';
import { blockReward, foundationReward, halvingsAt } from '../pactus/reward-schedule.js';
import { MAX_DELEGATE_SHARE, PayloadType, newTransaction, type Transaction } from '../pactus/tx.js';
import { foundationAddress } from './genesis.js';

/**
 * A batch transfer from the treasury, fee 0, lock time = this height: the Foundation's part to the localnet
 * Foundation address of the height (state/param/param.go), the rest of the block reward plus the block's fees to
 * the proposer's reward address. A delegated proposer (PIP-49) first pays its owner the owner's share, halved as the
 * reward is; an owner with the whole 0.7 PAC share also takes the fees, and the reward address then gets nothing.
 * Both follow PIP-55's halvings at `eraEnds`. Go multiplies by a float coefficient; every amount here is a multiple
 * of 8 NanoPAC (shares are multiples of 32: payload/bond.go), so halving them as integers is exact.
 */
export function subsidyTx(
  height: number,
  eraEnds: readonly number[],
  rewardAddress: Address,
  fees: bigint,
  delegation: { owner: Address; share: bigint } | null = null,
): Transaction {
  const foundation = foundationReward(height, eraEnds);
  const rest = blockReward(height, eraEnds) + fees - foundation;
  const recipients = [{ to: foundationAddress(height), amount: foundation }];
  if (!delegation) recipients.push({ to: rewardAddress, amount: rest });
  else {
    const halvings = BigInt(halvingsAt(height, eraEnds));
    const ownerShare = delegation.share >> halvings;
    const maxShare = MAX_DELEGATE_SHARE >> halvings;
    if (ownerShare > 0n)
      recipients.push({
        to: delegation.owner,
        amount: ownerShare === maxShare ? ownerShare + fees : ownerShare,
      });
    if (ownerShare < maxShare) recipients.push({ to: rewardAddress, amount: rest - ownerShare });
  }
  return newTransaction({
    lockTime: height,
    fee: 0n,
    payload: { type: PayloadType.BatchTransfer, from: Address.treasury(), recipients },
  });
}
