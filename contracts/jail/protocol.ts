/** Messages between the bot and a contract jail (jail.ts spawns it, child.ts runs in it). Plain data only. */
import type { Finding } from '../checks.js';
import type { ModuleReport } from '../inspect.js';
import type { ContractLimits } from '../limits.js';

export type ContractSource = 'wasm' | 'wat' | 'hex';

export interface CallRequest {
  fn: string;
  /** The function's parameter types, from the module report. */
  params: ('i32' | 'i64')[];
  /** Numbers as decimal text (i64 needs more than a JS number), text as text. */
  args: ({ number: string } | { text: string })[];
}

export interface CallOutcome {
  fn: string;
  ok: boolean;
  /** The returned value (decimal text), or null for none. */
  result: string | null;
  /** Why the call ended without a result: a trap, abort(message), a limit, bad arguments. */
  error: string | null;
  events: string[];
  /** Storage keys the call wrote (hex), each with its last value. */
  writes: { key: string; value: string }[];
  fuelUsed: number;
}

/** Who calls and when, and the storage the first call starts from (hex key -> hex value). */
export interface CallContext {
  caller: string;
  height: number;
  storage: Record<string, string>;
}

export type JailJob =
  /** Read a contract (bytes, hex or WAT) into a validated module. */
  | { op: 'load'; input: Uint8Array | string; wabt: string; limits: ContractLimits }
  /** Read, report and check it, and run init when it passes (as a deployment would). */
  | { op: 'check'; input: Uint8Array | string; wabt: string; limits: ContractLimits; context: CallContext }
  /** Run calls of a module that was checked before. */
  | {
      op: 'run';
      wasm: Uint8Array;
      calls: CallRequest[];
      limits: ContractLimits;
      context: CallContext;
    };

export type JailMessage =
  | { kind: 'loaded'; wasm: Uint8Array<ArrayBuffer>; source: ContractSource }
  | { kind: 'checked'; report: ModuleReport; findings: Finding[] }
  /** Calls begin: from here each call has the time limit. */
  | { kind: 'running' }
  | { kind: 'outcome'; outcome: CallOutcome; storage: Record<string, string> }
  /** The contract was refused with a message for the person (a ContractError in the jail). */
  | { kind: 'refused'; message: string }
  /** The jail's own peak resident memory (VmHWM), as it finishes. */
  | { kind: 'done'; peakKb: number | null };
