// Signed receipts of inference work (PIP-44's compute layer). A contributor signs one per completion with its
// Pactus key; the bot checks it against the bytes it sent and received, and an epoch's accepted receipts are the
// leaves of the Merkle tree whose root goes on chain. The signed text is line-based and strict, like the DAO's
// messages, so anyone can re-read and re-check a receipt from the bundle alone.
import { parseAddressFor } from '../pactus/address.js';
import { bytesToHex, hash256, utf8ToBytes } from '../pactus/bytes.js';
import { parsePublicKey, type PrivateKey, type PublicKey } from '../pactus/keys.js';
import { signMessage, verifyMessage } from '../pactus/message.js';
import type { Network } from '../pactus/network.js';
import { ComputeError } from './errors.js';

export interface ReceiptBody {
  /** The contributor's address (its validator address: the stake behind it is what the sybil floor checks). */
  contributor: string;
  /** BLAKE2b-256 of the exact request body bytes, hex. */
  requestHash: string;
  /** BLAKE2b-256 of the response's `choices` as JSON text, hex. */
  responseHash: string;
  promptTokens: number;
  completionTokens: number;
  /** The model's name, and the SHA-256 of its GGUF file (what the approved list is keyed by). */
  model: string;
  modelHash: string;
  /** Milliseconds since the epoch, when the contributor signed. */
  timestamp: number;
  /**
   * The epoch's spot-check seed commitment the request came with (compute/spot-sampling.ts). Signed in, it shows
   * the bot had fixed its seed before this answer existed, and ties the receipt to that epoch. Absent only in
   * receipts of pools that meter nothing.
   */
  commitment?: string;
}

export interface Receipt extends ReceiptBody {
  publicKey: string;
  signature: string;
}

const HEX32 = /^[0-9a-f]{64}$/;
const MODEL = /^[\x21-\x7e]{1,100}$/;
/** A signature in its one spelling: lowercase hex, whole bytes. */
const SIGNATURE_HEX = /^(?:[0-9a-f]{2})+$/;

export function digest(bytes: Uint8Array | string): string {
  return bytesToHex(hash256(typeof bytes === 'string' ? utf8ToBytes(bytes) : bytes));
}

/** What the response hash covers: the answer itself (content and tool calls), not ids or timing. */
export function responseDigest(response: { choices?: unknown }): string {
  return digest(JSON.stringify(response.choices ?? null));
}

export function receiptText(r: ReceiptBody): string {
  return [
    'Pactus compute receipt (PIP-44)',
    `Contributor: ${r.contributor}`,
    `Request: ${r.requestHash}`,
    `Response: ${r.responseHash}`,
    `Tokens: ${r.promptTokens} + ${r.completionTokens}`,
    `Model: ${r.model} ${r.modelHash}`,
    `Time: ${r.timestamp}`,
    ...(r.commitment === undefined ? [] : [`Seed commitment: ${r.commitment}`]),
  ].join('\n');
}

export function signReceipt(key: PrivateKey, body: ReceiptBody, network: Network): Receipt {
  return {
    ...body,
    publicKey: key.publicKey().toString(network),
    signature: signMessage(key, receiptText(body)),
  };
}

/** The leaf the receipt is in an epoch's tree: the hash of its signed text and signature. */
export function receiptLeaf(r: Receipt): string {
  return digest(`${receiptText(r)}\n${r.signature}`);
}

const count = (n: unknown) => Number.isSafeInteger(n) && (n as number) >= 0 && (n as number) < 10_000_000;

/**
 * The key the receipt names, if it is well formed and the key is the contributor's: everything but the signature,
 * which costs a pairing (~35 ms) and is checked after the cheap checks, off the event loop (compute/verifier.ts).
 * Throws ComputeError.
 */
export function receiptKey(r: Receipt, network: Network): PublicKey {
  if (
    !HEX32.test(r.requestHash) ||
    !HEX32.test(r.responseHash) ||
    !HEX32.test(r.modelHash) ||
    !MODEL.test(r.model) ||
    !count(r.promptTokens) ||
    !count(r.completionTokens) ||
    !Number.isSafeInteger(r.timestamp) ||
    (r.commitment !== undefined && !HEX32.test(r.commitment))
  )
    throw new ComputeError('bad_receipt', 'The receipt is malformed.');
  if (typeof r.signature !== 'string' || !SIGNATURE_HEX.test(r.signature))
    throw new ComputeError('bad_receipt', "The receipt's signature is not lowercase hex.");
  let parsed;
  let address;
  try {
    parsed = parsePublicKey(r.publicKey);
    if (parsed.network !== network) throw new Error('network');
    address = parseAddressFor(r.contributor, network);
    if (!parsed.key.addressOfType(address.type)?.equals(address)) throw new Error('binding');
  } catch {
    throw new ComputeError('bad_receipt', "The receipt's key is not the contributor's.");
  }
  // One receipt, one spelling. The node and this code read an address or key in capitals, or with spaces around
  // it, as the same one (pactus crypto/address.go AddressFromString: its bech32m decoder lowercases), so another
  // spelling of the contributor would be another contributor to every map keyed by it (routing weight, the
  // re-runners a check excludes, credits), and another spelling of the signature another leaf for the same work.
  if (r.contributor !== address.toString(network))
    throw new ComputeError(
      'bad_receipt',
      `The receipt spells its contributor other than ${address.toString(network)}.`,
    );
  if (r.publicKey !== parsed.key.toString(network))
    throw new ComputeError('bad_receipt', "The receipt spells its key other than the key's own form.");
  return parsed.key;
}

/**
 * The receipt as signed, and nothing else: what a contributor sends may carry other fields, which no signature
 * covers and a verifier refuses (compute/epoch-verify.ts receiptShape), so the bot keeps only these.
 */
export function receiptOnly(r: Receipt): Receipt {
  return {
    contributor: r.contributor,
    requestHash: r.requestHash,
    responseHash: r.responseHash,
    promptTokens: r.promptTokens,
    completionTokens: r.completionTokens,
    model: r.model,
    modelHash: r.modelHash,
    timestamp: r.timestamp,
    ...(r.commitment !== undefined && { commitment: r.commitment }),
    publicKey: r.publicKey,
    signature: r.signature,
  };
}

export const BAD_SIGNATURE = "The receipt's signature does not verify.";

/** The key that signed, if it is the contributor's; checks shape, binding and signature. Throws ComputeError. */
export function verifyReceipt(r: Receipt, network: Network): PublicKey {
  const key = receiptKey(r, network);
  if (!verifyMessage(key, receiptText(r), r.signature)) throw new ComputeError('bad_receipt', BAD_SIGNATURE);
  return key;
}
