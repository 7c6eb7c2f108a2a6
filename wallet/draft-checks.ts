import { Address, AddressType, parseAddressFor } from '../pactus/address.js';
import { pacText as pac } from '../pactus/amount.js';
import type { PactusNodeClient } from '../chain/client.js';
import { newTransaction, type Payload } from '../pactus/tx.js';
import type { DraftKind } from '../db/schema.js';
import type { Db } from '../db/connection.js';
import { linkedAddressesOf, primaryAddressOf } from './accounts.js';
import type { WalletConfig } from './config.js';
import { type Requester } from './drafts.js';
import { issueTransactionDraft, type DraftResult } from './draft-issue.js';
import { WalletError } from './errors.js';
import { LimitsGate } from './limits/gate.js';

/**
 * What every draft checks before it exists (a healthy node, the sender, balances, recipients) and how it is issued
 * (the person's limits, then the one-time link). DraftingService adds one method per transaction kind.
 */
export abstract class DraftChecks {
  constructor(
    protected readonly db: Db,
    protected readonly node: PactusNodeClient,
    protected readonly config: WalletConfig,
  ) {}

  protected address(text: string, role: 'account' | 'validator', what: string): Address {
    try {
      return parseAddressFor(text, this.config.network, role);
    } catch (error) {
      throw new WalletError('bad_address', `${what}: ${(error as Error).message}`);
    }
  }

  protected format(address: Address): string {
    return address.toString(this.config.network);
  }

  /** The named sender, or the requester's primary linked address. */
  protected async sender(
    requester: Requester,
    from: string | undefined,
  ): Promise<{ address: Address; linked: boolean }> {
    // Every draft starts here or in validatorFor: nothing is drafted from a lagging node or one on another chain.
    await this.node.ensureHealthy();
    const primary = await primaryAddressOf(this.db, requester.chatAccountId);
    if (from) {
      const address = this.address(from, 'account', 'Sender');
      return { address, linked: primary !== null && (await this.isLinked(requester, this.format(address))) };
    }
    if (!primary)
      throw new WalletError(
        'no_wallet',
        'You have no linked wallet yet. Link one with "link <your address>", or say which address to send from.',
      );
    const address = parseAddressFor(primary, this.config.network);
    if (!address.isAccount())
      throw new WalletError(
        'no_wallet',
        `Your primary linked address ${primary} is a validator; name the account to send from.`,
      );
    return { address, linked: true };
  }

  protected async isLinked(requester: Requester, address: string): Promise<boolean> {
    return (await linkedAddressesOf(this.db, requester.chatAccountId)).some((a) => a.address === address);
  }

  protected async balanceCheck(from: Address, needed: bigint, description: string): Promise<void> {
    const balance = await this.node.getBalance(this.format(from));
    if (balance < needed)
      throw new WalletError(
        'insufficient_balance',
        `${this.format(from)} has ${pac(balance)}; ${description} needs ${pac(needed)}.`,
      );
  }

  protected async recipientCheck(to: Address): Promise<void> {
    if (to.type === AddressType.Secp256k1Account && (await this.node.getProtocolVersion()) < 4)
      throw new WalletError(
        'unsupported_recipient',
        'This network does not accept secp256k1 addresses yet (protocol version 4 is needed).',
      );
  }

  protected async finish(
    requester: Requester,
    kind: DraftKind,
    payload: Payload,
    fee: bigint,
    memo: string,
    signer: Address,
    signerUnlinked: boolean,
    notes: string[] = [],
  ): Promise<DraftResult> {
    const { height } = await this.node.getBlockchainInfo();
    const tx = newTransaction({ lockTime: height, fee, memo, payload });
    // The limits the person set (wallet/limits) refuse here, before any link exists.
    return new LimitsGate(this.db, this.config).admit(requester, kind, tx, () =>
      issueTransactionDraft(this.db, this.config, requester, {
        kind,
        tx,
        signer: this.format(signer),
        signerUnlinked,
        notes,
      }),
    );
  }

  /**
   * Bonds and unbonds for a validator in the committee wait in the pool until it leaves the committee
   * (execution/executor/bond.go, unbond.go). Nodes older than GetCommitteeInfo simply get no note.
   */
  protected async committeeNote(validator: Address, what: string): Promise<string[]> {
    const committee = await this.node.getCommitteeAddresses().catch(() => null);
    if (!committee?.has(this.format(validator))) return [];
    return [
      `${this.format(validator)} is in the committee now: the network keeps this ${what} waiting in the pool until the validator leaves the committee, so it may take a while to confirm.`,
    ];
  }
}
