import { parseAddressFor, type Address } from '../../pactus/address.js';
import { messageFingerprint, txFingerprint } from '../../pactus/fingerprint.js';
import { isSafeMessage, signMessage } from '../../pactus/message.js';
import { isNetwork, type Network } from '../../pactus/network.js';
import {
  PayloadType,
  decodeTransactionHex,
  encodeTransactionHex,
  signTransaction,
  signerOf,
  transactionId,
  type Transaction,
} from '../../pactus/tx.js';
import { buildPaymentUri } from '../../pactus/uri.js';
import { ApiError, api, type AddressNote, type LinkDescription } from './api.js';
import { describeTransaction } from '../../pactus/describe.js';
import { addRow, addressNode, byId, note, setText, show, showError } from './dom.js';
import { governanceHeadline, type Headline } from './governance-view.js';
import { notesAbout, recipientNotes } from './notes.js';
import { relativeWords } from '../../pactus/time-words.js';
import { findSigningKeys } from './keys.js';

type Request =
  | { kind: 'transaction'; network: Network; tx: Transaction; signer: Address; expiresAt: number }
  | { kind: 'message'; network: Network; message: string; signers: Address[]; expiresAt: number };

const BADGES = { mainnet: 'Mainnet · real PAC', testnet: 'Testnet', localnet: 'Devnet' } as const;

const token = decodeURIComponent(location.pathname.split('/').pop() ?? '');
let countdown: number | undefined;

/** Decodes what the server sent and checks it against itself; anything inconsistent is refused. */
function understand(link: LinkDescription): Request {
  if (!isNetwork(link.network)) throw new Error('This link names an unknown network.');
  const network = link.network;
  if (link.kind === 'transaction') {
    const tx = decodeTransactionHex(link.unsignedTx ?? '');
    const signer = signerOf(tx.payload);
    if (signer.toString(network) !== link.signer)
      throw new Error('This link is inconsistent: the signer does not match the transaction.');
    if (txFingerprint(transactionId(tx)) !== link.fingerprint)
      throw new Error('This link is inconsistent: the check words do not match.');
    return { kind: 'transaction', network, tx, signer, expiresAt: link.expiresAt };
  }
  const message = link.message ?? '';
  if (!isSafeMessage(message))
    throw new Error('This message contains bytes that could hide what you sign; it was refused.');
  if (messageFingerprint(message) !== link.fingerprint)
    throw new Error('This link is inconsistent: the check words do not match.');
  const signers = (link.signers?.length ? link.signers : [link.signer]).map((s) =>
    parseAddressFor(s, network),
  );
  return { kind: 'message', network, message, signers, expiresAt: link.expiresAt };
}

function render(request: Request, link: LinkDescription): void {
  // The network comes from the link (it decides the address prefixes); the node only tells testnet from devnet.
  const chain =
    request.network === 'mainnet' ? 'mainnet' : link.chain.type === 'localnet' ? 'localnet' : 'testnet';
  const badge = byId('network');
  badge.textContent = BADGES[chain];
  badge.className = `badge ${chain}`;
  show('network');
  const details = byId('details');
  if (request.kind === 'transaction') {
    const summary = describeTransaction(request.tx, request.network, link.chain);
    setText('title', summary.title);
    const notes = recipientNotes(request.tx, request.network, link.notes);
    for (const row of summary.rows) {
      if (!row.address) {
        addRow(details, row.label, row.value, row.amount ? 'amount' : undefined);
        continue;
      }
      addRow(details, row.label, noted(row.value, row.label.startsWith('To') ? notes : undefined));
    }
    showWarnings([...notes.values()]);
    showLimits(link.limits?.lines ?? []);
    byId('key-hint').replaceChildren(
      'Needed: the key of ',
      addressNode(request.signer.toString(request.network)),
      '.',
    );
    const p = request.tx.payload;
    if (p.type === PayloadType.Transfer) {
      const uri = buildPaymentUri(
        { address: p.to, amount: p.amount, memo: request.tx.memo || null },
        request.network,
      );
      const anchor = byId<HTMLAnchorElement>('uri');
      anchor.textContent = uri;
      anchor.href = uri;
      byId<HTMLImageElement>('qr').src = `/qr.svg?d=${encodeURIComponent(uri)}`;
      show('alt');
    }
  } else {
    const headline = governanceHeadline(request.message, link.context);
    setText('title', headline ? 'Sign a DAO message' : 'Sign a message');
    if (headline) showHeadline(headline, link.context?.closesAt ?? null);
    if (headline?.delegate) {
      // The delegate as the signed text names it, with the server's notes about that address only.
      const notes = notesAbout([headline.delegate], link.notes);
      addRow(details, 'Delegate', noted(headline.delegate, notes));
      showWarnings([...notes.values()]);
    }
    addRow(
      details,
      'Signed by',
      request.signers.map((s) => addressNode(s.toString(request.network))),
      'signers',
    );
    const pre = byId('message');
    pre.textContent = request.message;
    show('message');
    setText('key-hint', 'Signing a message moves no funds. Read the whole text above before signing.');
    setText('sign-button', 'Sign message');
  }
  setText('fingerprint', link.fingerprint);
  show('summary');
  show('sign-form');
  tick(request.expiresAt);
  countdown = window.setInterval(() => tick(request.expiresAt), 1000);
}

function showHeadline(headline: Headline, closesAt: number | null): void {
  setText('headline-action', headline.action);
  setText('headline-title', headline.title ?? `Proposal #${headline.proposalId ?? '?'}`);
  const meta = [
    headline.proposalId !== null ? `Proposal #${headline.proposalId}` : '',
    closesAt ? `voting closes ${relativeWords(closesAt, Date.now())}` : '',
    ...headline.lines,
  ].filter(Boolean);
  setText('headline-meta', meta.join(' · '));
  show('headline');
}

/** An address, with the server's name and flag for it beside it when `notes` has any. */
function noted(address: string, notes?: Map<string, AddressNote>): Node[] {
  const about = notes?.get(address);
  const parts: Node[] = [addressNode(address)];
  if (about?.name) parts.push(note(`${about.name} (your contact)`, 'name'));
  if (about?.warning)
    parts.push(note(about.warning === 'look_alike' ? 'look-alike address' : 'first payment', 'flag'));
  return parts;
}

/** Look-alike and first-payment warnings, above the details where they are read first. */
function showWarnings(notes: AddressNote[]): void {
  const box = byId('warnings');
  for (const n of notes)
    if (n.warning && n.text) box.append(note(n.text, n.warning === 'look_alike' ? 'warning' : 'notice'));
  box.hidden = box.childElementCount === 0;
}

function tick(expiresAt: number): void {
  const left = Math.max(0, Math.floor((expiresAt - Date.now()) / 1000));
  if (left === 0) {
    setText('expiry', 'This link has expired. Ask the bot for a new one.');
    byId<HTMLButtonElement>('sign-button').disabled = true;
    window.clearInterval(countdown);
    return;
  }
  setText('expiry', `Expires in ${Math.floor(left / 60)}:${String(left % 60).padStart(2, '0')}.`);
}

async function sign(request: Request): Promise<void> {
  const secretInput = byId<HTMLTextAreaElement>('secret');
  const button = byId<HTMLButtonElement>('sign-button');
  show('error', false);
  const signers = request.kind === 'transaction' ? [request.signer] : request.signers;
  // Give the browser a frame to paint "Signing…" before the key derivation blocks the thread.
  button.disabled = true;
  setText('sign-button', 'Signing…');
  await new Promise((resolve) => setTimeout(resolve, 20));
  const search = findSigningKeys(secretInput.value, signers, request.network);
  if ('error' in search) {
    showError(search.error);
    button.disabled = false;
    setText('sign-button', request.kind === 'transaction' ? 'Sign and send' : 'Sign message');
    return;
  }
  let body: unknown;
  try {
    if (request.kind === 'transaction') {
      body = { signedTx: encodeTransactionHex(signTransaction(request.tx, search.found[0]!.key)) };
    } else {
      body = {
        signatures: search.found.map(({ key }) => ({
          signature: signMessage(key, request.message),
          publicKey: key.publicKey().toString(request.network),
        })),
      };
    }
  } finally {
    for (const { key } of search.found) key.wipe();
    secretInput.value = '';
  }
  show('sign-form', false);
  // The other-wallet offer would now make a second payment: it goes as soon as this one is signed.
  show('alt', false);
  try {
    const result = await api.submit(token, body);
    window.clearInterval(countdown);
    setText('expiry', '');
    if (request.kind === 'transaction') {
      setText('tx-id', result.txId ?? '');
      // The person's undo window: nothing is sent until it ends, and Cancel stops it (follow() counts down).
      setText('result-text', result.holdMs ? holding(result.holdMs) : SENT);
      show('hold-cancel', !!result.holdMs);
      show('result');
      await follow();
    } else {
      setText(
        'result-text',
        `Signed by ${search.found.map((f) => f.address.toString(request.network)).join(', ')}. You can close this page.`,
      );
      byId('result-text').className = 'ok';
      show('tx-line', false);
      show('result');
    }
  } catch (error) {
    showError(error instanceof ApiError ? error.message : 'Sending failed. Please try again.');
  }
}

const SENT = 'Signed and sent. Waiting for the network to confirm…';
const holding = (ms: number) => `Signed. Sending to the network in ${Math.ceil(ms / 1000)} s`;

/** The limits the draft was checked against, in the bot's words (informational: the bytes are what is checked). */
function showLimits(lines: string[]): void {
  for (const line of lines)
    byId('limits-list').append(Object.assign(document.createElement('li'), { textContent: line }));
  show('limits', lines.length > 0);
}

/** Polls the link's status until the transaction is confirmed, cancelled or has failed. */
async function follow(): Promise<void> {
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, 1000));
    let status;
    try {
      status = await api.status(token);
    } catch {
      continue;
    }
    const held = status.status === 'held';
    show('hold-cancel', held);
    if (held || status.status === 'submitted')
      setText('result-text', held ? holding(status.holdLeftMs!) : SENT);
    if (status.status === 'confirmed') {
      setText('result-text', `Confirmed in block ${status.blockHeight}.`);
      byId('result-text').className = 'ok';
      return;
    }
    if (status.status === 'cancelled') {
      setText('result-text', status.reason ?? 'Cancelled: nothing was sent to the network.');
      byId('result-text').className = 'ok';
      show('tx-line', false);
      return;
    }
    if (status.status === 'failed' || status.status === 'expired') {
      setText('result-text', '');
      showError(`The transaction failed: ${status.reason ?? status.status}.`);
      return;
    }
  }
}

async function start(): Promise<void> {
  let link: LinkDescription;
  try {
    link = await api.describe(token);
  } catch (error) {
    setText('title', 'This link cannot be used');
    showError(error instanceof ApiError ? error.message : 'Could not load this request.');
    return;
  }
  let request: Request;
  try {
    request = understand(link);
  } catch (error) {
    setText('title', 'Refused');
    showError((error as Error).message);
    return;
  }
  render(request, link);
  byId('hold-cancel').onclick = () => {
    show('hold-cancel', false);
    // Cancelled in time: the next status says so. Too late: the answer says when it was broadcast.
    // (api calls fail only with an ApiError, whose message is written for people.)
    api.cancel(token).catch((error: Error) => showError(error.message));
  };
  byId<HTMLFormElement>('sign-form').addEventListener('submit', (event) => {
    event.preventDefault();
    void sign(request);
  });
}

void start();
