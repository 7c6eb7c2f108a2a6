// PIP-31's consumption fee as pactus v1.16.0's pool charges it (txpool/txpool.go consumptionalFee,
// increaseConsumption, decreaseConsumption). Off by default, as on a node (`unit_price` 0).
import { encodeTransaction, signerOf, type Transaction } from '../pactus/tx.js';

export interface ConsumptionConfig {
  unitPrice: bigint;
  dailyLimit: number;
  window: number;
}

export class ConsumptionMeter {
  /** Bytes each signer had committed, per block (newest last), over the window. */
  private readonly usage: Map<string, number>[] = [];

  constructor(private readonly config: ConsumptionConfig) {}

  /**
   * The extra fee for `tx`: a signer with no public key on chain is charged the whole daily limit; others by the
   * bytes they used in the window, this transaction and their pooled ones included.
   */
  feeFor(tx: Transaction, signerKnown: boolean, pooled: Transaction[]): bigint {
    const c = this.config;
    const signer = signerOf(tx.payload).toHex();
    let used: number;
    if (!signerKnown) used = c.dailyLimit;
    else {
      used = encodeTransaction(tx).length;
      for (const block of this.usage) used += block.get(signer) ?? 0;
      for (const other of pooled)
        if (signerOf(other.payload).toHex() === signer) used += encodeTransaction(other).length;
    }
    return BigInt(Math.floor(used / c.dailyLimit)) * BigInt(used) * c.unitPrice;
  }

  /** A committed block's transactions after its subsidy (which is not counted). */
  recordBlock(txs: { tx: Transaction; raw: Uint8Array }[]): void {
    const usage = new Map<string, number>();
    for (const { tx, raw } of txs) {
      const signer = signerOf(tx.payload).toHex();
      usage.set(signer, (usage.get(signer) ?? 0) + raw.length);
    }
    this.usage.push(usage);
    if (this.usage.length > this.config.window) this.usage.shift();
  }
}
