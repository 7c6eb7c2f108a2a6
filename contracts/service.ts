import { eq } from 'drizzle-orm';
import { first, tables, type Sql } from '../db/connection.js';
import { callableExports, type Finding } from './checks.js';
import { parseCalls } from './calls.js';
import { ContractError } from './errors.js';
import { inspectModule, type ModuleReport } from './inspect.js';
import { inJail } from './jail/jail.js';
import { CONTRACT_LIMITS, type ContractLimits } from './limits.js';
import { refuseOversize, type LoadedContract } from './load.js';
import { OutcomeCollector, simulate, type Simulation } from './sandbox.js';

export interface CheckResult {
  loaded: LoadedContract;
  report: ModuleReport;
  findings: Finding[];
  /** No errors: it would pass as a deployment artefact. */
  deployable: boolean;
  callable: string[];
  /** init, run once in the sandbox as a deployment would (only for deployable contracts). */
  init: Simulation | null;
}

/**
 * Loads, inspects and checks a contract and runs its init, all in one jail (jail/jail.ts), with no database:
 * the CLI's `wasm:check`, the chat and the upload page share it. What the person sent is read only there.
 */
export async function checkContract(
  input: Uint8Array | string,
  context: { caller: string; height: number },
  limits: ContractLimits = { ...CONTRACT_LIMITS },
): Promise<CheckResult> {
  refuseOversize(input);
  const started = performance.now();
  const got: { loaded?: LoadedContract; report?: ModuleReport; findings?: Finding[] } = {};
  const collector = new OutcomeCollector({});
  const end = await inJail(
    { op: 'check', input, limits, context: { ...context, storage: {} } },
    (message) => {
      if (message.kind === 'loaded') got.loaded = { wasm: message.wasm, source: message.source };
      else if (message.kind === 'checked') {
        got.report = message.report;
        got.findings = message.findings;
      } else collector.take(message);
    },
  );
  const { loaded, report, findings } = got;
  if (!loaded || !report || !findings) throw new ContractError('The contract could not be read.');
  const deployable = !findings.some((f) => f.level === 'error');
  const init: Simulation | null = deployable
    ? {
        outcomes: collector.finish([{ fn: 'init', params: [], args: [] }], end),
        storage: collector.storage,
        ms: performance.now() - started,
        peakKb: end.peakKb,
      }
    : null;
  return { loaded, report, findings, deployable, callable: callableExports(report), init };
}

/** Said when "it" names no contract that can run: none sent yet, or the last one did not pass its check. */
export const NO_SESSION =
  'There is no contract of yours that passed its check: a contract is kept to simulate or price only when it is deployable and its init ran (the last one you sent may not have). Send one with "check this contract (module ...)".';

/**
 * A person's contract session: the contract they last checked (if it passed) and its simulated storage, kept in
 * the database so "simulate increment() on it" continues from the last call in whichever process answers.
 */
export class ContractService {
  constructor(
    private readonly db: Sql,
    private readonly now: () => number = Date.now,
  ) {}

  async check(
    chatAccountId: number,
    input: Uint8Array | string,
    context: { caller: string; height: number },
  ): Promise<CheckResult> {
    const result = await checkContract(input, context);
    if (result.deployable && result.init?.outcomes[0]?.ok) {
      const { contractSessions: c } = tables(this.db);
      const row = {
        wasm: Buffer.from(result.loaded.wasm).toString('hex'),
        sha256: result.report.sha256,
        storage: result.init.storage,
        updatedAt: this.now(),
      };
      await this.db
        .insert(c)
        .values({ chatAccountId, ...row })
        .onConflictDoUpdate({ target: c.chatAccountId, set: row });
    }
    return result;
  }

  /** The person's checked contract, or null. */
  async current(
    chatAccountId: number,
  ): Promise<{ wasm: Uint8Array; report: ModuleReport; storage: Record<string, string> } | null> {
    const { contractSessions: c } = tables(this.db);
    const row = await first(this.db.select().from(c).where(eq(c.chatAccountId, chatAccountId)).limit(1));
    if (!row) return null;
    const wasm = new Uint8Array(Buffer.from(row.wasm, 'hex'));
    // Bytes that passed a check in a jail before: the project's own decoder reads them here (no parser to exhaust).
    return { wasm, report: inspectModule(wasm), storage: row.storage };
  }

  async simulate(
    chatAccountId: number,
    written: string,
    context: { caller: string; height: number },
  ): Promise<{ simulation: Simulation; report: ModuleReport }> {
    const session = await this.current(chatAccountId);
    if (!session) throw new ContractError(NO_SESSION);
    const calls = parseCalls(written);
    const callable = callableExports(session.report);
    for (const call of calls)
      if (!callable.includes(call.fn))
        throw new ContractError(
          `The contract has no callable function ${call.fn}; it has ${callable.join(', ') || 'none'}.`,
        );
    const simulation = await simulate(session.wasm, session.report, calls, {
      ...context,
      storage: session.storage,
    });
    const { contractSessions: c } = tables(this.db);
    await this.db
      .update(c)
      .set({ storage: simulation.storage, updatedAt: this.now() })
      .where(eq(c.chatAccountId, chatAccountId));
    return { simulation, report: session.report };
  }
}
