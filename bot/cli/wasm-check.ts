import { parseArgs } from 'node:util';
import { readFile } from 'node:fs/promises';
import { parseCalls } from '../../contracts/calls.js';
import { ContractError } from '../../contracts/errors.js';
import { simulate } from '../../contracts/sandbox.js';
import { checkContract } from '../../contracts/service.js';
import type { Command } from './main.js';

const USAGE = 'Usage: pactus-bot wasm:check <file.wasm|file.wat> [--call "fn(args); fn2(args)"]';

/**
 * The chat's contract report as JSON: the module report, the findings, init run in the sandbox and, with --call,
 * the calls after it (storage carried from call to call). Exit code 0 when the contract passes the checks.
 */
export const wasmCheckCommand: Command = async (args, io) => {
  const { values, positionals } = parseArgs({
    args,
    options: { call: { type: 'string' } },
    allowPositionals: true,
  });
  const written = values.call;
  const file = positionals.length === 1 ? positionals[0] : undefined;
  if (!file || (values.call !== undefined && !written)) {
    io.err(USAGE);
    return 2;
  }
  let bytes: Uint8Array;
  try {
    bytes = await readFile(file);
  } catch {
    io.err(`Cannot read ${file}.`);
    return 2;
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
    if (!(error instanceof ContractError)) throw error;
    io.out(JSON.stringify({ deployable: false, error: error.message }, null, 2));
    return 1;
  }
};
