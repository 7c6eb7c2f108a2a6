import { parseArgs } from 'node:util';
import { readFile, stat } from 'node:fs/promises';
import { parseCalls } from '../../contracts/calls.js';
import { ContractError } from '../../contracts/errors.js';
import { simulate } from '../../contracts/sandbox.js';
import { checkContract } from '../../contracts/service.js';
import type { Command, CliIo } from './main.js';

const USAGE = 'Usage: pactus-bot wasm:check <file.wasm|file.wat> [--call "fn(args); fn2(args)"]';
/** Larger than any contract the checker takes (1 MiB of text), so the checker says why it refuses it. */
const MAX_FILE = 2 * 1024 * 1024;

/** A failure as JSON on stdout, like a report, so scripts always get JSON. */
function failure(io: CliIo, error: string, code: number): number {
  io.out(JSON.stringify({ deployable: false, error }, null, 2));
  return code;
}

/**
 * The chat's contract report as JSON: the module report, the findings, init run in the sandbox and, with --call,
 * the calls after it (storage carried from call to call). Exit code 0 when the contract passes the checks, 1 when
 * it does not or cannot be checked (the JSON's "error" says why), 2 for a wrong command line. Whatever the file
 * holds, the output is JSON: the contract is read in a jail (contracts/jail) and any failure becomes a message.
 */
export const wasmCheckCommand: Command = async (args, io) => {
  let parsed;
  try {
    parsed = parseArgs({ args, options: { call: { type: 'string' } }, allowPositionals: true });
  } catch (error) {
    return failure(io, `${(error as Error).message.split('.')[0]}. ${USAGE}`, 2);
  }
  const { values, positionals } = parsed;
  const written = values.call;
  const file = positionals.length === 1 ? positionals[0] : undefined;
  if (!file || (values.call !== undefined && !written)) {
    return failure(io, USAGE, 2);
  }
  let bytes: Uint8Array;
  try {
    if ((await stat(file)).size > MAX_FILE)
      return failure(io, `${file} is larger than 2 MiB; a contract is at most 1 MiB of text.`, 1);
    bytes = await readFile(file);
  } catch {
    return failure(io, `Cannot read ${file}.`, 2);
  }
  const context = { caller: 'tpc1cli', height: 1 };
  try {
    const result = await checkContract(bytes, context);
    const calls =
      written && result.init?.outcomes[0]?.ok
        ? await simulate(result.loaded.wasm, result.report, parseCalls(written), {
            ...context,
            storage: result.init.storage,
          })
        : null;
    io.out(
      JSON.stringify(
        {
          source: result.loaded.source,
          deployable: result.deployable,
          report: result.report,
          callable: result.callable,
          findings: result.findings,
          init: result.init?.outcomes[0] ?? null,
          calls: calls?.outcomes ?? [],
          storage: calls?.storage ?? result.init?.storage ?? {},
        },
        null,
        2,
      ),
    );
    return result.deployable ? 0 : 1;
  } catch (error) {
    return failure(
      io,
      error instanceof ContractError
        ? error.message
        : 'The contract could not be checked: the checker failed unexpectedly.',
      1,
    );
  }
};
