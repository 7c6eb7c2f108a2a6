import { randomBytes } from 'node:crypto';
import { and, asc, eq, gt, inArray } from 'drizzle-orm';
import { type Db, tables } from '../db/connection.js';
import { parseAddressFor } from '../pactus/address.js';
import { messageFingerprint } from '../pactus/fingerprint.js';
import { addLinkedAddress, chatAccountById, linkedAddressesOf } from './accounts.js';
import { DEFAULT_LINKS_PER_DAY, type WalletConfig } from './config.js';
import { createDraftWithLink, type Requester } from './drafts.js';
import { WalletError } from './errors.js';
import { writeOutbox } from './outbox.js';
import type { SigningService } from './signing.js';

export interface LinkChallenge {
  draftId: string;
  url: string;
  expiresAt: number;
  fingerprint: string;
  address: string;
  message: string;
}

const DAY_MS = 86_400_000;

/**
 * Wallet linking: the chat account proves it controls an address by signing a challenge on the signer page.
 * The challenge names the bot's domain, the platform and user, the address, a single-use nonce and its validity.
 */
export class LinkingService {
  constructor(
    private readonly db: Db,
    private readonly config: WalletConfig,
    signing: SigningService,
  ) {
    signing.registerMessageHandler('link_wallet', async (tx, draft, signatures) => {
      const address = signatures[0]!.address;
      await addLinkedAddress(tx, draft.chatAccountId, address);
      const account = await chatAccountById(tx, draft.chatAccountId);
      if (account)
        await writeOutbox(tx, {
          dedupeKey: `draft:${draft.id}:outcome`,
          chatAccountId: draft.chatAccountId,
          platform: draft.platform,
          recipient: account.platformUserId,
          kind: 'wallet_linked',
          payload: { address, draftId: draft.id },
        });
    });
  }

  /**
   * Links started in the last 24 hours, counting open and completed ones (not expired or cancelled): a fresh
   * address costs nothing, so without a limit one account could spread activity over any number of them.
   */
  private async checkLinkLimit(chatAccountId: number, now: number): Promise<void> {
    const { drafts } = tables(this.db);
    const limit = this.config.linksPerDay ?? DEFAULT_LINKS_PER_DAY;
    const recent = await this.db
      .select({ createdAt: drafts.createdAt })
      .from(drafts)
      .where(
        and(
          eq(drafts.chatAccountId, chatAccountId),
          eq(drafts.kind, 'link_wallet'),
          gt(drafts.createdAt, now - DAY_MS),
          inArray(drafts.status, ['pending', 'submitted', 'confirmed']),
        ),
      )
      .orderBy(asc(drafts.createdAt));
    if (recent.length < limit) return;
    const next = new Date(recent[recent.length - limit]!.createdAt + DAY_MS);
    throw new WalletError(
      'link_limit',
      `You can link up to ${limit} wallets in 24 hours, and you have started ${recent.length}. Try again after ${next.toISOString().slice(0, 16).replace('T', ' ')} UTC.`,
    );
  }

  async start(requester: Requester, addressText: string, platformUserId: string): Promise<LinkChallenge> {
    const address = parseAddressFor(addressText, this.config.network).toString(this.config.network);
    if ((await linkedAddressesOf(this.db, requester.chatAccountId)).some((a) => a.address === address))
      throw new WalletError('already_linked', `${address} is already linked to your account.`);
    const now = this.config.now();
    await this.checkLinkLimit(requester.chatAccountId, now);
    const expiresAt = now + this.config.linkTtlMs;
    const domain = new URL(this.config.publicUrl).host;
    const message = [
      'Pactus chat bot: link this wallet to a chat account',
      `Domain: ${domain}`,
      `Platform: ${requester.platform}`,
      `User ID: ${platformUserId}`,
      `Address: ${address}`,
      `Nonce: ${randomBytes(16).toString('hex')}`,
      `Issued: ${new Date(now).toISOString()}`,
      `Expires: ${new Date(expiresAt).toISOString()}`,
    ].join('\n');
    const issued = await createDraftWithLink(
      this.db,
      requester,
      {
        kind: 'link_wallet',
        network: this.config.network,
        signer: address,
        message,
        expiresAt,
        meta: { address },
      },
      this.config.publicUrl,
    );
    return {
      draftId: issued.draft.id,
      url: issued.url,
      expiresAt,
      fingerprint: messageFingerprint(message),
      address,
      message,
    };
  }
}
