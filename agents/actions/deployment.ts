import { z } from 'zod';
import type { DeploymentStore } from '../../deployment/store.js';
import { WalletError } from '../../wallet/errors.js';
import type { ActionContext } from '../context.js';
import { requester } from '../context.js';
import { defineAction, type Action } from '../registry.js';
import { fields, notice, reply, text } from '../reply.js';
import { draftReply } from '../render/draft.js';

function deploymentOf(ctx: ActionContext): DeploymentStore {
  const store = ctx.services.deployment as DeploymentStore | undefined;
  if (!store) throw new WalletError('no_deployment', 'This bot has no deployment identity.');
  return store;
}

export const deploymentInfo = defineAction({
  name: 'deployment',
  description:
    "This bot's deployment identity: its operator, manifest versions and their anchors, and how to verify results.",
  schema: z.object({}),
  personal: false,
  examples: ['which deployment is this', 'show the deployment manifest'],
  async run(ctx) {
    const history = await deploymentOf(ctx).history();
    if (!history)
      return reply(
        'public',
        notice(
          'warning',
          'This bot has no deployment operator (OPERATOR_ADDRESS): nothing it announces can be checked on chain.',
        ),
      );
    return reply(
      'public',
      text(
        `This deployment is operated by ${history.operator}: only its anchors count. Its manifest (pools, team keys, approved models, rules) is at ${ctx.services.wallet.config.publicUrl.replace(/\/+$/, '')}/deployment.json.`,
      ),
      fields(
        history.versions.map((r) => ({
          label: `Version ${r.manifest.version}`,
          value: `${r.hash} — ${r.anchor ? `anchored in block ${r.anchor.height}, transaction ${r.anchor.txId}` : 'not anchored yet'}`,
          code: true,
        })),
        'Manifest versions',
      ),
      text(
        `Verify any result without trusting this bot: npx pactus-bot verify-proposal <bundle url> --deployment ${history.operator} --node <a Pactus node you trust> (verify-epoch for compute epochs).`,
      ),
    );
  },
});

export const deploymentAnchor = defineAction({
  name: 'deployment_anchor',
  description:
    "Admin: draft the on-chain anchor of this deployment's latest manifest for the operator to sign.",
  schema: z.object({}),
  personal: true,
  admin: true,
  hiddenFromModel: true,
  examples: ['anchor deployment'],
  async run(ctx) {
    const draft = await deploymentOf(ctx).draftAnchor(requester(ctx.caller), ctx.services.wallet.drafting);
    const r = draftReply(draft, ctx.services.network);
    r.blocks.unshift(
      text(
        "The operator signs a 0-PAC transaction to itself whose memo commits to the manifest's hash: from then on, verifiers can tell this deployment's results from anyone else's.",
      ),
    );
    return r;
  },
});

export const deploymentActions: Action[] = [deploymentInfo, deploymentAnchor] as Action[];
