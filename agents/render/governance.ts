import { pacText } from '../../pactus/amount.js';
import { voteButtons } from '../actions/governance.js';
import { fields, notice, text, type Reply } from '../reply.js';

/** The deployment an announcement is about, and the command that checks it without trusting the bot. */
export interface VerifyHint {
  deployment: { operator: string; version: number } | null;
  /** `npx pactus-bot verify-...` with the file's URL, the operator and the node; null without a deployment. */
  command: string | null;
}

/** Where verify commands point: the bot's public URL, and a node (the devnet's own) or a placeholder. */
export interface VerifyLinks {
  baseUrl: () => string;
  node: string | null;
}

export function verifyHint(
  kind: 'proposal' | 'epoch',
  path: string,
  deployment: VerifyHint['deployment'] | undefined,
  links: VerifyLinks | undefined,
): VerifyHint {
  if (!deployment || !links) return { deployment: deployment ?? null, command: null };
  const node = links.node ?? '<host:port of a Pactus node you trust>';
  return {
    deployment,
    command: `npx pactus-bot verify-${kind} ${links.baseUrl()}${path} --deployment ${deployment.operator} --node ${node}`,
  };
}

/** The lines every announcement ends with: whose deployment it is, and how to check it. */
export function verifyBlocks(hint: VerifyHint) {
  if (!hint.deployment)
    return [
      text(
        'This deployment has no operator (OPERATOR_ADDRESS): nothing it announces can be checked on chain.',
      ),
    ];
  return [
    fields([
      {
        label: 'Deployment',
        value: `${hint.deployment.operator} (manifest version ${hint.deployment.version})`,
        code: true,
      },
    ]),
    text(`Check it without trusting this bot: ${hint.command}`),
  ];
}

export interface AnnouncementPayload {
  event: 'opened' | 'tally' | 'closed' | 'vetoed' | 'anchored' | 'final';
  deployment?: { operator: string; version: number } | null;
  proposalId: number;
  title: string;
  body: string;
  hash: string;
  snapshotHash: string;
  snapshotHeight: number;
  endsAt: number | null;
  vetoEndsAt: number | null;
  outcome: string | null;
  tally: { yes: string; no: string; abstain: string; cast: string; quorum: string; outcome: string };
  reason?: string;
  bundleUrl?: string;
  /** The committed ballot set: its Merkle root and size. */
  root?: string | null;
  ballots?: number;
  txId?: string;
  blockHeight?: number;
}

const rootRow = (p: AnnouncementPayload) => ({
  label: 'Ballot set',
  value: `${p.ballots ?? 0} ballot(s), root ${p.root ?? '(none yet)'}`,
  code: true,
});

const pac = (nano: string) => pacText(BigInt(nano));

/**
 * A governance channel post: opened (with vote buttons, edited as the tally moves), closed, vetoed, anchored. Each
 * names the deployment and prints the command that checks the proposal ("open, so far" while voting runs).
 */
export function announcementReply(p: AnnouncementPayload, bundleUrl?: string, links?: VerifyLinks): Reply {
  const verify = verifyBlocks(
    verifyHint('proposal', `/proposals/${p.proposalId}/bundle.json`, p.deployment, links),
  );
  const tallyRows = [
    { label: 'Yes', value: pac(p.tally.yes) },
    { label: 'No', value: pac(p.tally.no) },
    { label: 'Abstain', value: pac(p.tally.abstain) },
    { label: 'Quorum', value: `${pac(p.tally.cast)} of ${pac(p.tally.quorum)}` },
  ];
  if (p.event === 'opened' || p.event === 'tally')
    return {
      visibility: 'public',
      blocks: [
        text(`DAO proposal #${p.proposalId}: ${p.title}`),
        text(p.body),
        fields([
          ...tallyRows,
          { label: 'Voting ends', value: new Date(p.endsAt ?? 0).toISOString() },
          { label: 'Snapshot', value: `block ${p.snapshotHeight}, ${p.snapshotHash}`, code: true },
          rootRow(p),
        ]),
        notice(
          'info',
          'Vote with the buttons: you sign your ballot on a private page with your own key. Stake is voting power.',
        ),
        ...verify,
      ],
      buttons: voteButtons(p.proposalId),
    };
  if (p.event === 'anchored')
    return {
      visibility: 'public',
      blocks: [
        notice(
          'success',
          `The result of DAO proposal #${p.proposalId} "${p.title}" is anchored on chain in transaction ${p.txId} (block ${p.blockHeight}).`,
        ),
        fields([rootRow(p)]),
        text(
          'Every voter has a receipt: "npx pactus-bot verify-proposal --receipt <its url>" checks it alone.',
        ),
        ...verify,
      ],
      buttons: bundleUrl ? [{ type: 'link', label: 'Result bundle', url: bundleUrl }] : [],
    };
  if (p.event === 'vetoed')
    return {
      visibility: 'public',
      blocks: [
        notice('warning', `DAO proposal #${p.proposalId} "${p.title}" was vetoed by the Pactus team.`),
        text(`Reason: ${p.reason ?? ''}`),
        ...verify,
      ],
      buttons: bundleUrl ? [{ type: 'link', label: 'Result bundle', url: bundleUrl }] : [],
    };
  if (p.event === 'final')
    return {
      visibility: 'public',
      blocks: [
        notice(
          'success',
          `The final result of DAO proposal #${p.proposalId} "${p.title}" (${p.outcome ?? p.tally.outcome}) is anchored on chain in transaction ${p.txId} (block ${p.blockHeight}).`,
        ),
        ...verify,
      ],
      buttons: bundleUrl ? [{ type: 'link', label: 'Result bundle', url: bundleUrl }] : [],
    };
  const outcome =
    { passed: 'passed', rejected: 'was rejected', no_quorum: 'did not reach quorum' }[p.tally.outcome] ??
    p.tally.outcome;
  return {
    visibility: 'public',
    blocks: [
      notice(
        p.tally.outcome === 'passed' ? 'success' : 'info',
        `DAO proposal #${p.proposalId} "${p.title}" ${outcome}.`,
      ),
      fields([...tallyRows, rootRow(p)]),
      ...(p.tally.outcome === 'passed' && p.vetoEndsAt
        ? [text(`The team may veto it until ${new Date(p.vetoEndsAt).toISOString()}.`)]
        : []),
      ...verify,
    ],
    buttons: bundleUrl ? [{ type: 'link', label: 'Result bundle', url: bundleUrl }] : [],
  };
}
