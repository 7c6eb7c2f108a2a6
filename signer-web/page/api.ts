// The only requests the page makes, all to its own origin; none carries key material.
export interface LinkDescription {
  kind: 'transaction' | 'message';
  draftKind: string;
  network: 'mainnet' | 'testnet';
  signer: string;
  signers?: string[];
  unsignedTx?: string;
  message?: string;
  fingerprint: string;
  expiresAt: number;
  chain: {
    type: 'mainnet' | 'testnet' | 'localnet';
    height: number | null;
    blockIntervalMs: number;
    unbondInterval: number;
  };
  /** The requester's own names and warnings for recipients: shown only beside an address the page decoded. */
  notes: AddressNote[];
  context?: { proposal?: string; closesAt?: number | null; delegated?: { power: string; holders: number } };
  /** The limits the person set that this draft was checked against, in sentences (empty: none to show). */
  limits?: { lines: string[] };
}

export interface AddressNote {
  address: string;
  name?: string;
  warning?: 'first_time' | 'look_alike';
  /** Whose address it looks like, in the server's words ("your contact alice", "your own wallet"). */
  looksLike?: { what: string; address: string };
  /** The warning in the server's sentence (wallet/link-notes.ts). */
  text?: string;
}

export interface LinkStatus {
  status: 'pending' | 'held' | 'submitted' | 'confirmed' | 'failed' | 'expired' | 'cancelled';
  txId: string | null;
  blockHeight: number | null;
  reason: string | null;
  /** While held in its undo window: how long until it is broadcast. */
  holdLeftMs?: number;
}

export class ApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

async function call<T>(path: string, init?: RequestInit): Promise<T> {
  let response: Response;
  try {
    response = await fetch(path, {
      ...init,
      credentials: 'omit',
      cache: 'no-store',
      referrerPolicy: 'no-referrer',
    });
  } catch {
    throw new ApiError('network', 'Could not reach the bot. Check your connection and try again.');
  }
  const body = (await response.json().catch(() => null)) as {
    error?: { code: string; message: string };
  } | null;
  if (!response.ok)
    throw new ApiError(
      body?.error?.code ?? 'http',
      body?.error?.message ?? `The bot answered ${response.status}.`,
    );
  return body as T;
}

const base = (token: string) => `/api/links/${encodeURIComponent(token)}`;

export const api = {
  describe: (token: string) => call<LinkDescription>(base(token)),
  status: (token: string) => call<LinkStatus>(`${base(token)}/status`),
  submit: (token: string, body: unknown) =>
    call<{ txId?: string; ok?: boolean; holdMs?: number }>(base(token), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    }),
  cancel: (token: string) => call<{ message: string }>(`${base(token)}/cancel`, { method: 'POST' }),
};
