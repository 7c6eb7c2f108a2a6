// The contract upload route: a one-time link (/c/<token>) takes one contract file. A link is spent only by a
// contract the checker could read; a bad name, junk bytes or a module that does not parse leave it usable, and
// what fails the cheap look here never counts against the link's attempts.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { containsSecret } from '../../pactus/secrets/index.js';
import { hashLinkToken, isWellFormedToken } from '../../wallet/tokens.js';
import { decodeFileName, errorBody, plainText } from './edges.js';
import type { LinkAttempts } from './token-limit.js';

/**
 * Checks an uploaded contract for the link's owner: null when the link is unknown, used or expired; `spent` false
 * when the file was no contract the checker could read (the report says why, and the link still works).
 */
export type ContractUpload = (
  tokenHash: string,
  name: string,
  bytes: Uint8Array,
) => Promise<{ report: string; spent: boolean } | null>;

const CONTRACT_FILE = /\.(wasm|wat)$/i;
const SECRET_IN_FILE =
  'That file holds what looks like a private key or recovery phrase; it was not read or kept. Never put a key in a contract, and if it was a real one, move its funds to a new wallet.';
const MAX_FILE = 1024 * 1024;
const WASM_MAGIC = [0x00, 0x61, 0x73, 0x6d];

/** Why these bytes are no contract file at a glance (before any link or checker is asked), or null. */
export function uploadProblem(name: string | null, body: unknown): string | null {
  if (name === null) return 'The file name is not valid: send it as the page does (a .wasm or .wat file).';
  if (!CONTRACT_FILE.test(name)) return 'Only .wasm and .wat files are read.';
  if (!Buffer.isBuffer(body) || body.length === 0) return 'Send the file as bytes.';
  if (containsSecret(name)) return SECRET_IN_FILE;
  if (WASM_MAGIC.every((b, i) => body[i] === b)) return null;
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(body).trim();
  } catch {
    return 'That is neither a WebAssembly binary nor WebAssembly text.';
  }
  // WebAssembly text opens with "(" (perhaps after ";;" or "(;" comments); a hex dump opens with the magic.
  if (!/^(\(|;;)/.test(text) && !/^(0x)?0061736d/i.test(text))
    return 'That is neither a WebAssembly binary nor WebAssembly text (starting with "(module").';
  // The same detector as the chat's entry: a contract's text (its comments too) is no place for a key.
  return containsSecret(text) ? SECRET_IN_FILE : null;
}

export async function registerContractUpload(
  app: FastifyInstance,
  upload: ContractUpload,
  attempts: LinkAttempts,
): Promise<void> {
  await app.register(async (scope) => {
    // A contract file is bytes, up to 1 MiB: only this route takes them.
    scope.addContentTypeParser(
      'application/octet-stream',
      { parseAs: 'buffer', bodyLimit: MAX_FILE },
      (_request, body, done) => done(null, body),
    );
    scope.post(
      '/api/contracts/:token',
      { bodyLimit: MAX_FILE },
      async (request: FastifyRequest<{ Params: { token: string } }>, reply) => {
        const { token } = request.params;
        if (!isWellFormedToken(token))
          return reply.status(400).send(errorBody('bad_request', 'This upload link is not valid.'));
        const name = decodeFileName(request.headers['x-file-name']);
        const problem = uploadProblem(name, request.body);
        if (problem) return reply.status(400).send(errorBody('bad_file', problem));
        const hash = hashLinkToken(token);
        if (attempts.blocked(hash, request.ip))
          return reply
            .status(429)
            .send(errorBody('rate_limited', 'Too many attempts with this link; wait a minute.'));
        attempts.record(hash, request.ip);
        const outcome = await upload(hash, name!, new Uint8Array(request.body as Buffer));
        if (!outcome)
          return reply
            .status(410)
            .send(
              errorBody('link_used', 'This upload link was used or has expired; ask the bot for a new one.'),
            );
        if (!outcome.spent) return reply.status(422).send(errorBody('not_a_contract', outcome.report));
        return { report: plainText(outcome.report) };
      },
    );
  });
}
