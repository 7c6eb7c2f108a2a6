import { z } from 'zod';
import { pacText as pac } from '../../pactus/amount.js';
import { excerpt } from '../../pactus/errors.js';
import { PayloadType } from '../../pactus/tx.js';
import { primaryAddressOf } from '../../wallet/accounts.js';
import { ContractError } from '../../contracts/errors.js';
import { NO_SESSION, type CheckResult, type ContractService } from '../../contracts/service.js';
import { estimateDeployment } from '../../contracts/cost.js';
import { storeUploadToken, UPLOAD_TTL_MS } from '../../contracts/uploads.js';
import { newLinkToken } from '../../wallet/tokens.js';
import type { CallOutcome } from '../../contracts/sandbox.js';
import type { ModuleReport } from '../../contracts/inspect.js';
import type { ActionContext } from '../context.js';
import type { Wallet } from '../../wallet/index.js';
import { defineAction, type Action } from '../registry.js';
import { fields, notice, reply, text, type Block, type Reply } from '../reply.js';

/** The longest contract text a chat message carries (a Discord option or message holds 2,000 characters). */
export const MAX_CODE_TEXT = 2000;

function contractsOf(ctx: ActionContext): ContractService {
  const service = ctx.services.contracts as ContractService | undefined;
  if (!service) throw new ContractError('Contract checks are not enabled on this bot.');
  return service;
}

/** Who a simulated call comes from (the person's primary address) and at which height. */
export async function callContext(
  wallet: Pick<Wallet, 'db' | 'node'>,
  chatAccountId: number,
): Promise<{ caller: string; height: number }> {
  const caller = (await primaryAddressOf(wallet.db, chatAccountId)) ?? 'unlinked';
  const height = (await wallet.node.getBlockchainInfo()).height + 1;
  return { caller, height };
}

/** A list for a chat field: the first dozen names, then how many more (a module may export thousands). */
function listed(names: string[]): string {
  const shown = names
    .slice(0, 12)
    .map((n) => excerpt(n, 64))
    .join(', ');
  return names.length > 12 ? `${shown} and ${(names.length - 12).toLocaleString('en-US')} more` : shown;
}

function reportFields(report: ModuleReport, callable: string[]): Block {
  const memory = report.memory
    ? `${report.memory.initialPages} page(s), ${report.memory.maxPages === null ? 'no maximum' : `at most ${report.memory.maxPages}`}`
    : 'none';
  return fields([
    { label: 'Size', value: `${report.size.toLocaleString('en-US')} bytes` },
    { label: 'SHA-256', value: report.sha256, code: true },
    { label: 'Callable', value: listed(callable) || 'none' },
    { label: 'Imports', value: listed(report.imports.map((i) => `${i.module}.${i.name}`)) || 'none' },
    { label: 'Memory', value: memory },
    {
      label: 'Other',
      value: `${report.functions} function(s), ${report.tables.length} table(s), ${report.globals} global(s)${report.customSections.length ? `, custom sections: ${listed(report.customSections)}` : ''}`,
    },
  ]);
}

function outcomeLine(o: CallOutcome): string {
  // Names, events and abort messages are the contract's own text: control characters go, and lengths are capped.
  const head = o.ok
    ? `${excerpt(o.fn, 64)} → ${o.result ?? 'done'}`
    : `${excerpt(o.fn, 64)} stopped: ${excerpt(o.error ?? '', 400)}`;
  const events = o.events.slice(0, 5).map((e) => JSON.stringify(excerpt(e, 100)));
  if (o.events.length > 5) events.push(`and ${o.events.length - 5} more`);
  const extra = [
    events.length ? `events: ${events.join(', ')}` : '',
    o.writes.length ? `${o.writes.length} storage write(s)` : '',
    `fuel ${o.fuelUsed.toLocaleString('en-US')}`,
  ].filter(Boolean);
  return `${head} (${extra.join('; ')})`;
}

export function checkReply(result: CheckResult): Reply {
  const blocks: Block[] = [reportFields(result.report, result.callable)];
  for (const f of result.findings) blocks.push(notice(f.level === 'error' ? 'error' : 'warning', f.message));
  if (!result.deployable)
    blocks.push(text('It would not pass as a deployment: fix the errors above and send it again.'));
  else {
    const init = result.init!.outcomes[0]!;
    blocks.push(
      init.ok
        ? notice(
            'success',
            `Checks passed; init ran in the sandbox (${outcomeLine(init)}). Now say for example "simulate ${excerpt(result.callable[0] ?? '', 64)}() on it".`,
          )
        : notice('error', `Checks passed, but init failed in the sandbox: ${init.error}`),
    );
  }
  return reply('public', ...blocks);
}

export const contractCheck = defineAction({
  name: 'contract_check',
  description: 'Check a WASM contract (WebAssembly text or hex).',
  schema: z.object({ code: z.string().min(1).max(MAX_CODE_TEXT) }),
  personal: false,
  hiddenFromModel: true,
  examples: ['check this contract (module ...)', 'check contract 0061736d...'],
  async run(ctx, input) {
    const result = await contractsOf(ctx).check(
      ctx.caller.chatAccountId,
      input.code,
      await callContext(ctx.services.wallet, ctx.caller.chatAccountId),
    );
    return checkReply(result);
  },
});

export const contractSimulate = defineAction({
  name: 'contract_simulate',
  description: 'Run functions of your checked contract in the sandbox.',
  schema: z.object({ calls: z.string().min(1).max(500) }),
  personal: false,
  hiddenFromModel: true,
  examples: ['simulate increment() on it', 'simulate transfer(alice, 5); get() on the contract'],
  async run(ctx, input) {
    const { simulation } = await contractsOf(ctx).simulate(
      ctx.caller.chatAccountId,
      input.calls,
      await callContext(ctx.services.wallet, ctx.caller.chatAccountId),
    );
    const lines = simulation.outcomes.map(outcomeLine);
    const failed = simulation.outcomes.some((o) => !o.ok);
    return reply(
      'public',
      text(lines.join('\n')),
      notice(
        failed ? 'warning' : 'info',
        'Simulated only: nothing is on chain. Storage carries over to your next simulation.',
      ),
    );
  },
});

export const contractCost = defineAction({
  name: 'contract_cost',
  description: 'Estimate what deploying your checked contract would cost.',
  schema: z.object({}),
  personal: false,
  hiddenFromModel: true,
  examples: ['what would deploying it cost', 'contract deployment fee'],
  async run(ctx) {
    const session = await contractsOf(ctx).current(ctx.caller.chatAccountId);
    if (!session) throw new ContractError(NO_SESSION);
    const fixed = (await ctx.services.wallet.node.calculateFee(0n, PayloadType.Transfer)).fee;
    const estimate = estimateDeployment(session.report.size, fixed);
    return reply(
      'public',
      fields([
        { label: 'Code size', value: `${estimate.bytes.toLocaleString('en-US')} bytes` },
        { label: 'Estimate today', value: pac(estimate.today) },
        { label: 'At 10 NanoPAC per byte', value: pac(estimate.illustrative) },
      ]),
      notice('warning', estimate.assumption),
    );
  },
});

export const contractDeploy = defineAction({
  name: 'contract_deploy',
  description: 'Deploy your checked contract.',
  schema: z.object({}),
  personal: false,
  hiddenFromModel: true,
  examples: ['deploy the contract', 'deploy it'],
  async run(ctx) {
    const session = await contractsOf(ctx).current(ctx.caller.chatAccountId);
    const none = 'Pactus has no smart-contract VM on chain yet, so no contract can be deployed today.';
    if (!session)
      return reply(
        'public',
        notice('info', `${none} You can still check one ("check this contract ...") and simulate it.`),
      );
    return reply(
      'public',
      notice('info', `${none} This is the checked artefact a deployment would carry:`),
      fields([
        { label: 'SHA-256', value: session.report.sha256, code: true },
        { label: 'Size', value: `${session.report.size.toLocaleString('en-US')} bytes` },
      ]),
    );
  },
});

export const contractUpload = defineAction({
  name: 'contract_upload',
  description: 'A one-time link to upload a .wasm contract.',
  schema: z.object({}),
  personal: true,
  hiddenFromModel: true,
  examples: ['upload a contract', 'contract upload link'],
  async run(ctx) {
    const { token, hash } = newLinkToken();
    await storeUploadToken(ctx.services.wallet.db, hash, ctx.caller.chatAccountId, Date.now());
    const url = `${ctx.services.wallet.config.publicUrl.replace(/\/+$/, '')}/c/${token}`;
    return {
      ...reply(
        'private',
        text(
          `Upload your .wasm or .wat (up to 1 MiB) on this page; it works once, for ${UPLOAD_TTL_MS / 60_000} minutes. The report appears there, and then "simulate ... on it" works here.`,
        ),
      ),
      buttons: [{ type: 'link', label: 'Upload a contract', url }],
    };
  },
});

export const contractActions: Action[] = [
  contractCheck,
  contractSimulate,
  contractCost,
  contractDeploy,
  contractUpload,
];

/** Contract files the chat takes, by name, and their size limit (WebAssembly text is larger than its binary). */
export const CONTRACT_FILE = /\.(wasm|wat)$/i;
export const MAX_CONTRACT_FILE = 1024 * 1024;

/** A contract sent as a file (a .wasm or .wat attachment): the same check as contract_check. */
export async function checkContractFile(
  ctx: ActionContext,
  file: { name: string; size: number; bytes: Uint8Array | null },
): Promise<Reply> {
  if (!CONTRACT_FILE.test(file.name))
    return reply('private', notice('info', 'I read contract files only: send a .wasm or .wat file.'));
  const bytes = file.bytes;
  if (!bytes || file.size > MAX_CONTRACT_FILE)
    return reply(
      'private',
      notice(
        'info',
        `That file is ${file.size.toLocaleString('en-US')} bytes; contract files may be ${MAX_CONTRACT_FILE.toLocaleString('en-US')} bytes at most.`,
      ),
    );
  return checkContractFileFor(
    contractsOf(ctx),
    ctx.caller.chatAccountId,
    await callContext(ctx.services.wallet, ctx.caller.chatAccountId),
    file.name,
    bytes,
  );
}

/** The check of a contract file for a person, as a Reply (the chat and the upload page show the same). */
export async function checkContractFileFor(
  service: ContractService,
  chatAccountId: number,
  context: { caller: string; height: number },
  name: string,
  bytes: Uint8Array,
): Promise<Reply> {
  if (!CONTRACT_FILE.test(name))
    return reply('private', notice('info', 'I read contract files only: send a .wasm or .wat file.'));
  try {
    return checkReply(await service.check(chatAccountId, bytes, context));
  } catch (error) {
    if (error instanceof ContractError) return reply('public', notice('error', error.message));
    throw error;
  }
}
