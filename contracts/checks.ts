import type { ModuleReport, Signature } from './inspect.js';
import { CONTRACT_LIMITS, type ContractLimits } from './limits.js';

/** The host ABI (contracts/abi.md): the only imports a contract may have, module "env". */
export const HOST_ABI: Record<string, Signature> = {
  storage_get: { params: ['i32', 'i32', 'i32', 'i32'], results: ['i32'] },
  storage_set: { params: ['i32', 'i32', 'i32', 'i32'], results: [] },
  caller: { params: ['i32'], results: ['i32'] },
  block_height: { params: [], results: ['i64'] },
  emit_event: { params: ['i32', 'i32'], results: [] },
  abort: { params: ['i32', 'i32'], results: [] },
};

export interface Finding {
  level: 'error' | 'warning';
  code:
    | 'forbidden_import'
    | 'import_signature'
    | 'no_memory'
    | 'memory_not_exported'
    | 'memory_limit'
    | 'unbounded_memory'
    | 'table_limit'
    | 'global_limit'
    | 'start_function'
    | 'floating_point'
    | 'unsupported_feature'
    | 'no_init'
    | 'init_signature'
    | 'no_callable'
    | 'export_signature';
  message: string;
}

/** Findings of one kind shown in full; the rest are counted. */
export const SAME_FINDINGS = 5;

const sig = (s: Signature) =>
  `(${s.params.join(', ')}) -> ${s.results.length ? s.results.join(', ') : 'nothing'}`;
const same = (a: Partial<Signature>, b: Signature) =>
  JSON.stringify([a.params, a.results]) === JSON.stringify([b.params, b.results]);

/** Functions people may call: exported functions other than init and alloc. */
export function callableExports(report: ModuleReport): string[] {
  return report.exports
    .filter((e) => e.kind === 'function' && e.name !== 'init' && e.name !== 'alloc')
    .map((e) => e.name);
}

/** The static checks of contracts/abi.md, in plain words: errors make a contract undeployable. */
export function checkModule(
  report: ModuleReport,
  limits: ContractLimits = { ...CONTRACT_LIMITS },
): Finding[] {
  const findings: Finding[] = [];
  const hidden = new Map<Finding['code'], number>();
  // A module of 10,000 forbidden imports gets five findings and a count, not a report of 10,000 lines.
  const error = (code: Finding['code'], message: string) => {
    if (findings.filter((f) => f.code === code).length < SAME_FINDINGS)
      findings.push({ level: 'error', code, message });
    else hidden.set(code, (hidden.get(code) ?? 0) + 1);
  };
  for (const imp of report.imports) {
    const expected = imp.module === 'env' && imp.kind === 'function' ? HOST_ABI[imp.name] : undefined;
    if (!expected)
      error(
        'forbidden_import',
        `It imports ${imp.kind} ${imp.module}.${imp.name}, which the host does not provide: a contract may import only env.${Object.keys(HOST_ABI).join(', env.')}.`,
      );
    else if (!same(imp, expected))
      error(
        'import_signature',
        `env.${imp.name} is imported as ${sig(imp as Signature)}; the host provides ${sig(expected)}.`,
      );
  }
  const memory = report.memory;
  if (!memory)
    error('no_memory', 'It has no memory: the host passes keys, values and text through the memory.');
  else {
    if (!report.exports.some((e) => e.kind === 'memory' && e.name === 'memory'))
      error(
        'memory_not_exported',
        'It does not export its memory as "memory", so the host cannot read or write it.',
      );
    const worst = Math.max(memory.initialPages, memory.maxPages ?? 0);
    if (worst > limits.memoryPages)
      error(
        'memory_limit',
        `It declares ${worst} memory pages; the limit is ${limits.memoryPages} (${limits.memoryPages * 64} KiB).`,
      );
    else if (memory.maxPages === null)
      findings.push({
        level: 'warning',
        code: 'unbounded_memory',
        message: `Its memory has no maximum${report.growsMemory ? ' and the code grows it' : ''}. The sandbox gives it a maximum of ${limits.memoryPages} pages, so growing past that fails (memory.grow returns -1); declare a maximum.`,
      });
  }
  if (
    report.tables.length > limits.tables ||
    report.tables.some((t) => Math.max(t.initial, t.max ?? 0) > limits.tableEntries)
  )
    error(
      'table_limit',
      `It has ${report.tables.length} table(s); the limit is ${limits.tables} table of ${limits.tableEntries} entries.`,
    );
  if (report.globals > limits.globals)
    error('global_limit', `It has ${report.globals} globals; the limit is ${limits.globals}.`);
  if (report.startFunction)
    error(
      'start_function',
      'It has a start function, which would run when the contract is loaded rather than in init. Move that code into init.',
    );
  if (report.usesFloats)
    error(
      'floating_point',
      'It uses floating-point numbers (f32/f64), whose results can differ between machines. Use integers (for amounts, NanoPAC in i64).',
    );
  for (const feature of report.unsupported)
    error(
      'unsupported_feature',
      `It uses ${feature}, which contracts may not use: a contract is WebAssembly 1.0 with integer arithmetic, sign extension, multi-value, bulk memory, reference types and tail calls.`,
    );
  const init = report.exports.find((e) => e.kind === 'function' && e.name === 'init');
  if (!init)
    error('no_init', 'It does not export an init function, which runs once when the contract is deployed.');
  else if (init.params?.length)
    error('init_signature', `init takes ${sig(init as Signature)}; it must take no arguments.`);
  const callable = callableExports(report);
  if (!callable.length) error('no_callable', 'It exports no function to call besides init.');
  for (const name of callable) {
    const fn = report.exports.find((e) => e.name === name)!;
    const ints = (types: string[] | undefined) => (types ?? []).every((t) => t === 'i32' || t === 'i64');
    if (!ints(fn.params) || !ints(fn.results) || (fn.results?.length ?? 0) > 1)
      error(
        'export_signature',
        `${name} is ${sig(fn as Signature)}: callable functions take and return i32 or i64 only (one result at most).`,
      );
  }
  for (const [code, count] of hidden)
    findings.push({
      level: 'error',
      code,
      message: `… and ${count.toLocaleString('en-US')} more like ${count === 1 ? 'that one' : 'those'}.`,
    });
  return findings;
}
