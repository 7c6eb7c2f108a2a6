import type { Logger } from 'pino';
import { type Db, type Sql, transaction } from '../db/connection.js';
import type { DraftKind, DraftStatus } from '../db/schema.js';
import { parseAddressFor, type Address } from '../pactus/address.js';
import { equalBytes } from '../pactus/bytes.js';
import { CodecError, PactusError } from '../pactus/errors.js';
import { messageFingerprint, txFingerprint } from '../pactus/fingerprint.js';
import { parsePublicKey, type PublicKey } from '../pactus/keys.js';
import { isSafeMessage, verifyMessage } from '../pactus/message.js';
import { NodeUnavailable, Rejected } from '../chain/errors.js';
import type { PactusNodeClient } from '../chain/client.js';
import {
  decodeTransactionHex,
  encodeTransactionHex,
  signBytes,
  verifyTransaction,
  type Transaction,
} from '../pactus/tx.js';
import type { WalletConfig } from './config.js';
import { consumeLink, draftByTokenHash, setDraftStatus, type DraftRow } from './drafts.js';
import { CHAIN_RESTARTED } from './chain-identity.js';
import { LinkError } from './errors.js';
import { addressNotes, type AddressNote, type LinkChain } from './link-notes.js';
import { failDraft } from './outcomes.js';
import { hashLinkToken, isWellFormedToken } from './tokens.js';
import type { ConfirmationTracker } from './tracker.js';
import { LimitsGate } from './limits/gate.js';
import { appliedLimitsOf, keptUndoSeconds, withUndoKept, type AppliedLimits } from './limits/shown.js';
import { notifyUndone, type UndoOutcome, type UndoWindow } from './undo.js';

/** GET /api/links/:token */
export interface LinkDescription {
  kind: 'transaction' | 'message';
  draftKind: DraftKind;
  network: 'mainnet' | 'testnet';
  signer: string;
  /** Every address that may sign a message (ballots can be signed by several of a voter's keys). */
  signers?: string[];
  unsignedTx?: string;
  message?: string;
  fingerprint: string;
  expiresAt: number;
  chain: LinkChain;
  /** Names and warnings for the recipients, from the requester's own book (see link-notes.ts). */
  notes: AddressNote[];
  /** Kind-specific context the page checks against the bytes (a ballot's proposal text, by its hash). */
  context?: LinkContext;
  /** The limits the person set that this draft was checked against (wallet/limits), when it moves money. */
  limits?: AppliedLimits & { lines: string[] };
}

export interface LinkContext {
  /** The full signed text of the proposal a ballot or veto refers to; the page checks it hashes to the reference. */
  proposal?: string;
  /** When voting on it closes (ms). */
  closesAt?: number | null;
  /** A ballot's share of delegated power (NanoPAC, decimal) and how many holders lent it (governance). */
  delegated?: { power: string; holders: number };
}

/** Supplies a kind's LinkContext (wired by the domain that owns the kind, e.g. governance for ballots). */
export type ContextProvider = (draft: DraftRow) => Promise<LinkContext | undefined>;

export interface LinkStatus {
  status: DraftStatus;
  txId: string | null;
  blockHeight: number | null;
  reason: string | null;
  /** While held in its undo window: when it will be broadcast (ms), and how long that is from now. */
  broadcastAfter?: number;
  holdLeftMs?: number;
  /** Once broadcast: the chain height when it was sent. */
  broadcastHeight?: number | null;
}

export interface VerifiedSignature {
  address: string;
  publicKey: string;
  signature: string;
}

/**
 * Applies a verified message signature inside the transaction that consumes the link (adds the linked wallet,
 * records the ballot...). Throwing a LinkError refuses the signature and leaves the link unused.
 */
export type MessageHandler = (
  tx: Sql,
  draft: DraftRow,
  signatures: VerifiedSignature[],
  now: number,
) => Promise<void>;

export type MessageSubmission =
  { signature: string; publicKey: string } | { signatures: { signature: string; publicKey: string }[] };

const GONE = 410;
const alreadyUsed = () =>
  new LinkError('used', 'This signing link was already used. Ask the bot again for a new one.', GONE);

/**
 * Why a kind of request can no longer be signed, in its own words (a ballot whose voting closed), or null to
 * use the general ones.
 */
export type EndingExplainer = (draft: DraftRow, now: number) => Promise<LinkError | null>;

/**
 * How a link ended, in words that say what happened: a person told "already used" about a link that expired, or
 * about a ballot after voting closed, acts on the wrong reason.
 */
async function endingOf(
  link: { draft: DraftRow; usedAt: number | null; expiresAt: number },
  now: number,
  explain: EndingExplainer | undefined,
): Promise<LinkError | null> {
  const { draft } = link;
  if (draft.status === 'cancelled')
    return new LinkError(
      'cancelled',
      'This request was cancelled in chat. Ask the bot again if you still want it.',
      GONE,
    );
  if (draft.status === 'failed' && draft.failureReason === CHAIN_RESTARTED)
    return new LinkError(
      'chain_restarted',
      'This request was made for a chain that has since been restarted, so it can no longer be signed. Ask the bot again.',
      GONE,
    );
  if (link.usedAt !== null || draft.status === 'submitted' || draft.status === 'confirmed')
    return alreadyUsed();
  const over = draft.status !== 'pending' || link.expiresAt <= now;
  if (!over) return null;
  const specific = await explain?.(draft, now);
  if (specific) return specific;
  if (draft.status === 'failed')
    return new LinkError(
      'ended',
      `This request ended: ${draft.failureReason ?? 'it failed'}. Ask the bot again.`,
      GONE,
    );
  return new LinkError('expired', 'This signing link has expired. Ask the bot again for a new one.', GONE);
}

/** The signer server's logic: describe a link, accept signed bytes, report status. */
export class SigningService {
  private readonly handlers = new Map<DraftKind, MessageHandler>();
  private readonly explainers = new Map<DraftKind, EndingExplainer>();
  private readonly contexts = new Map<DraftKind, ContextProvider>();

  constructor(
    private readonly db: Db,
    private readonly node: PactusNodeClient,
    private readonly config: WalletConfig,
    private readonly tracker: ConfirmationTracker,
    private readonly logger: Logger,
    /** Keeps signed transactions back for the person's undo window (none: broadcast at once). */
    readonly undo?: UndoWindow,
  ) {}

  registerMessageHandler(kind: DraftKind, handler: MessageHandler, explainEnding?: EndingExplainer): void {
    this.handlers.set(kind, handler);
    if (explainEnding) this.explainers.set(kind, explainEnding);
  }

  registerContext(kind: DraftKind, provider: ContextProvider): void {
    this.contexts.set(kind, provider);
  }

  /** The chain as the page should name it; a node that cannot be asked only costs the times in words. */
  private async chain(): Promise<LinkChain> {
    const { blockIntervalMs, unbondInterval, network } = this.config;
    try {
      const info = await this.node.getBlockchainInfo();
      return { type: info.chainType, height: info.height, blockIntervalMs, unbondInterval };
    } catch (error) {
      if (!(error instanceof NodeUnavailable)) throw error;
      return { type: network, height: null, blockIntervalMs, unbondInterval };
    }
  }

  private async lookup(
    token: string,
  ): Promise<{ draft: DraftRow; hash: string; usedAt: number | null; expiresAt: number }> {
    if (!isWellFormedToken(token)) throw new LinkError('not_found', 'This signing link is not valid.', 404);
    const hash = hashLinkToken(token);
    const found = await draftByTokenHash(this.db, hash);
    if (!found) throw new LinkError('not_found', 'This signing link is not valid.', 404);
    return { ...found, hash };
  }

  /** The link must still be usable: unused, unexpired, and its draft pending. */
  private async usable(token: string): Promise<{ draft: DraftRow; hash: string }> {
    const link = await this.lookup(token);
    const ended = await endingOf(link, this.config.now(), this.explainers.get(link.draft.kind));
    if (ended) throw ended;
    return link;
  }

  async describe(token: string): Promise<LinkDescription> {
    const { draft } = await this.usable(token);
    // A link whose draft no longer fits limits tightened since it was made says so before anyone signs it
    // (opening it to sign is asking to pay: a cooling-off period set since then runs from the first time).
    let undoNow = 0;
    if (draft.unsignedTx) {
      const gate = new LimitsGate(this.db, this.config);
      const unsigned = decodeTransactionHex(draft.unsignedTx);
      await gate.beforeSigning(draft, unsigned);
      undoNow = (await transaction(this.db, (t) => gate.recheck(t, draft, unsigned))).undoSeconds;
    }
    const [chain, notes, context, applied] = await Promise.all([
      this.chain(),
      addressNotes(this.db, draft, draft.network),
      this.contexts.get(draft.kind)?.(draft),
      appliedLimitsOf(this.db, draft.id),
    ]);
    const limits = applied && withUndoKept(applied, this.undo ? undoNow : 0);
    const base = {
      draftKind: draft.kind,
      network: draft.network,
      signer: draft.signer,
      expiresAt: draft.expiresAt,
      chain,
      notes,
      ...(context ? { context } : {}),
      ...(limits ? { limits } : {}),
    };
    if (draft.unsignedTx)
      return {
        ...base,
        kind: 'transaction',
        unsignedTx: draft.unsignedTx,
        fingerprint: txFingerprint(draft.txId!),
      };
    return {
      ...base,
      kind: 'message',
      message: draft.message!,
      signers: signersOf(draft),
      fingerprint: messageFingerprint(draft.message!),
    };
  }

  async status(token: string): Promise<LinkStatus> {
    const { draft } = await this.lookup(token);
    return {
      status: draft.status,
      txId: draft.txId,
      blockHeight: draft.blockHeight,
      reason: draft.failureReason,
      ...(draft.status === 'held' &&
        draft.broadcastAfter !== null && {
          broadcastAfter: draft.broadcastAfter,
          holdLeftMs: Math.max(0, draft.broadcastAfter - this.config.now()),
        }),
      ...(draft.unsignedTx && { broadcastHeight: draft.broadcastHeight }),
    };
  }

  /**
   * The page's Cancel during the undo window: the link's token names the draft (the link was used to sign it, so
   * it still identifies it). Only a held draft can be cancelled; later the answer says when it was broadcast.
   */
  async cancelHeld(token: string): Promise<UndoOutcome> {
    const { draft } = await this.lookup(token);
    if (!this.undo || !draft.unsignedTx) return { kind: 'not_found' };
    const outcome = await this.undo.cancel(draft.id, null, this.config.now());
    if (outcome.kind === 'cancelled') await notifyUndone(this.db, outcome.draft);
    return outcome;
  }

  /**
   * Accepts a signed transaction only if its sign bytes equal the draft's exactly, its public key hashes to the
   * draft's signer and its signature verifies; then consumes the link, broadcasts, and hands it to the tracker.
   */
  async submitTransaction(
    token: string,
    signedHex: string,
  ): Promise<{ txId: string; broadcastAfter?: number; holdMs?: number }> {
    const { draft, hash } = await this.usable(token);
    if (!draft.unsignedTx)
      throw new LinkError('malformed', 'This link is for a message, not a transaction.', 400);
    let signed: Transaction;
    try {
      signed = decodeTransactionHex(signedHex);
    } catch (error) {
      if (error instanceof CodecError)
        throw new LinkError('malformed', `The signed transaction does not decode: ${error.message}.`, 400);
      throw error;
    }
    const unsigned = decodeTransactionHex(draft.unsignedTx);
    if (!equalBytes(signBytes(signed), signBytes(unsigned)))
      throw new LinkError(
        'tx_mismatch',
        'The signed transaction is not the one this link was made for.',
        400,
      );
    if (!signed.signature || !signed.publicKey)
      throw new LinkError('malformed', 'The transaction must be signed and carry its full public key.', 400);
    const verdict = verifyTransaction(signed);
    if (!verdict.valid) {
      if (verdict.reason === 'wrong-signer')
        throw new LinkError(
          'wrong_signer',
          `This was signed with a key that does not belong to ${draft.signer}.`,
          400,
        );
      throw new LinkError('bad_signature', 'The signature does not verify.', 400);
    }
    const canonical = encodeTransactionHex(signed);
    const gate = new LimitsGate(this.db, this.config);
    await gate.beforeSigning(draft, unsigned);
    const now = this.config.now();
    let holdMs = 0;
    await transaction(this.db, async (tx) => {
      if (!(await consumeLink(tx, hash, draft.id, now))) throw alreadyUsed();
      // The person's limits as they hold now (a LimitError leaves the link unused), over the same people as at
      // drafting: their undo window too, so the page's "N seconds to cancel" is the one that is kept.
      const limits = await gate.recheck(tx, draft, unsigned);
      holdMs = this.undo
        ? keptUndoSeconds(await appliedLimitsOf(tx, draft.id), limits.undoSeconds) * 1000
        : 0;
      await setDraftStatus(tx, draft.id, ['submitted'], { signedTx: canonical });
      // The undo window: the bytes and when they may go are stored before the page hears anything.
      if (holdMs > 0) await this.undo!.hold(tx, draft, now + holdMs, now);
    });
    const broadcastAfter = holdMs > 0 ? now + holdMs : null;
    if (broadcastAfter !== null) {
      this.undo!.wakeAt(broadcastAfter);
      return { txId: draft.txId!, broadcastAfter, holdMs };
    }
    try {
      await this.node.broadcastTransaction(canonical);
      this.logger.info({ draftId: draft.id, txId: draft.txId }, 'draft broadcast');
    } catch (error) {
      if (error instanceof Rejected) {
        await failDraft(this.db, { ...draft, status: 'submitted' }, error.reason, this.config.now());
        throw new LinkError('rejected', `The network refused the transaction: ${error.reason}`, 422);
      }
      // The draft stays submitted with its signed bytes; the tracker broadcasts it once the node is back.
      if (!(error instanceof NodeUnavailable)) throw error;
      this.logger.warn({ draftId: draft.id }, 'node unavailable at broadcast; the tracker will retry');
    }
    void this.tracker.poke();
    return { txId: draft.txId! };
  }

  /** Verifies one or more signatures of the draft's message, then lets the kind's handler apply it. */
  async submitMessage(token: string, body: MessageSubmission): Promise<{ ok: true; signers: string[] }> {
    const { draft, hash } = await this.usable(token);
    if (!draft.message)
      throw new LinkError('malformed', 'This link is for a transaction, not a message.', 400);
    if (!isSafeMessage(draft.message))
      throw new LinkError('unsafe_message', 'This message cannot be signed safely.', 400);
    const items = 'signatures' in body ? body.signatures : [body];
    if (items.length === 0 || items.length > 64)
      throw new LinkError('malformed', 'Send between 1 and 64 signatures.', 400);
    const allowed = signersOf(draft);
    const verified: VerifiedSignature[] = [];
    for (const item of items) {
      let key: PublicKey;
      try {
        key = parsePublicKey(item.publicKey).key;
      } catch (error) {
        throw new LinkError('malformed', `Public key: ${(error as PactusError).message}`, 400);
      }
      const address = allowed.find((a) => ownsAddress(key, parseAddressFor(a, draft.network)));
      if (!address)
        throw new LinkError('wrong_signer', `This key does not belong to ${allowed.join(' or ')}.`, 400);
      if (!verifyMessage(key, draft.message, item.signature))
        throw new LinkError('bad_signature', 'The signature does not verify.', 400);
      if (!verified.some((v) => v.address === address))
        verified.push({
          address,
          publicKey: key.toString(draft.network),
          signature: item.signature.toLowerCase(),
        });
    }
    const handler = this.handlers.get(draft.kind);
    const now = this.config.now();
    await transaction(this.db, async (tx) => {
      if (!(await consumeLink(tx, hash, draft.id, now))) throw alreadyUsed();
      await handler?.(tx, draft, verified, now);
      await setDraftStatus(tx, draft.id, ['submitted'], { status: 'confirmed', finishedAt: now });
    });
    return { ok: true, signers: verified.map((v) => v.address) };
  }
}

function ownsAddress(key: PublicKey, address: Address): boolean {
  return key.addressOfType(address.type)?.equals(address) ?? false;
}

export function signersOf(draft: DraftRow): string[] {
  const listed = draft.meta?.signers;
  return Array.isArray(listed) && listed.length ? (listed as string[]) : [draft.signer];
}
