// Wire compatibility with the official @pactus/grpc package: its generated client talks to our devnet server,
// our client talks to a server built from its generated definitions, and the RPC paths match.
import * as grpc from '@grpc/grpc-js';
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PayloadType, PrivateKey, decodeTransactionHex, transactionId } from '../../../pactus/index.js';
import { PactusNodeClient } from '../../../chain/client.js';
import { RPC_SERVICE, packageDefinition, type RpcName } from '../../../chain/grpc.js';
import { devnetHandlers, grpcImplementation } from '../../../devnet/server.js';
import { DevnetChain } from '../../../devnet/index.js';
import { useDevnet } from '../../support/devnet.js';
import { PAC, devnetAccount, signedTx, transfer } from '../../support/txs.js';

// The official package is CommonJS generated code without types; these are the few shapes used here.
/* eslint-disable @typescript-eslint/no-explicit-any -- untyped generated code from @pactus/grpc */
const require = createRequire(import.meta.url);
const blockchainPb: any = require('@pactus/grpc/blockchain_pb.js');
const blockchainGrpc: any = require('@pactus/grpc/blockchain_grpc_pb.js');
const transactionPb: any = require('@pactus/grpc/transaction_pb.js');
const transactionGrpc: any = require('@pactus/grpc/transaction_grpc_pb.js');
const utilsGrpc: any = require('@pactus/grpc/utils_grpc_pb.js');
const utilsPb: any = require('@pactus/grpc/utils_pb.js');

function officialCall(client: any, method: string, request: any): Promise<any> {
  return new Promise((resolve, reject) =>
    client[method](request, (error: Error | null, response: any) =>
      error ? reject(error) : resolve(response.toObject()),
    ),
  );
}
/* eslint-enable @typescript-eslint/no-explicit-any */

const env = useDevnet();

it('every RPC path we call exists in the official service definitions', () => {
  const official: Record<string, Record<string, { path: string }>> = {
    Blockchain: blockchainGrpc.BlockchainService,
    Transaction: transactionGrpc.TransactionService,
    Utils: utilsGrpc.UtilsService,
  };
  for (const [rpc, service] of Object.entries(RPC_SERVICE)) {
    const ours = (packageDefinition[`pactus.${service}`] as Record<string, { path: string }>)[rpc]!;
    const theirs = Object.values(official[service]!).find((m) => m.path === ours.path);
    expect(theirs, `${ours.path}`).toBeDefined();
  }
});

describe('official client -> our devnet server', () => {
  const ed = () => devnetAccount(env.devnet, 'ed25519-account', 0);

  it('reads blockchain info, accounts and validators with the same values', async () => {
    const blockchain = new blockchainGrpc.BlockchainClient(
      env.devnet.endpoint,
      grpc.credentials.createInsecure(),
    );
    const info = await officialCall(
      blockchain,
      'getBlockchainInfo',
      new blockchainPb.GetBlockchainInfoRequest(),
    );
    const ours = await env.client.getBlockchainInfo();
    expect(info.chainType).toBe(2);
    expect(BigInt(info.totalPower)).toBe(ours.totalPower);
    expect(info.totalValidators).toBe(ours.totalValidators);

    const req = new blockchainPb.GetAccountRequest();
    req.setAddress(ed().address.toString('testnet'));
    const account = await officialCall(blockchain, 'getAccount', req);
    expect(BigInt(account.account.balance)).toBe(
      await env.client.getBalance(ed().address.toString('testnet')),
    );

    const vreq = new blockchainPb.GetValidatorByNumberRequest();
    vreq.setNumber(2);
    const validator = await officialCall(blockchain, 'getValidatorByNumber', vreq);
    const ourValidator = await env.client.getValidatorByNumber(2);
    expect(validator.validator).toMatchObject({
      address: ourValidator.address,
      publicKey: ourValidator.publicKey,
      number: 2,
      stake: Number(ourValidator.stake),
    });
    blockchain.close();
  });

  it('decodes a committed transaction, a delegated bond and a fee quote', async () => {
    const transactions = new transactionGrpc.TransactionClient(
      env.devnet.endpoint,
      grpc.credentials.createInsecure(),
    );
    const { hex, tx } = signedTx(
      env.devnet,
      ed().key,
      transfer(ed().address, devnetAccount(env.devnet, 'bls-account', 1).address, 3n * PAC),
      {
        memo: 'wire',
      },
    );
    const breq = new transactionPb.BroadcastTransactionRequest();
    breq.setSignedRawTransaction(hex);
    const { id } = await officialCall(transactions, 'broadcastTransaction', breq);
    expect(id).toBe(transactionId(tx));
    while (!(await env.client.findTransaction(id))) await new Promise((r) => setTimeout(r, 50));
    const greq = new transactionPb.GetTransactionRequest();
    greq.setId(id);
    greq.setVerbosity(1);
    const got = await officialCall(transactions, 'getTransaction', greq);
    // INFO verbosity carries no bytes, and confirmations are last height - block height (transaction.go).
    expect(got.transaction).toMatchObject({
      id,
      data: '',
      lockTime: tx.lockTime,
      fee: 10_000_000,
      payloadType: 1,
      memo: 'wire',
      confirmed: got.transaction.confirmations > 0,
      transfer: { sender: ed().address.toString('testnet'), amount: 3_000_000_000 },
    });
    expect(got.transaction.confirmations).toBe(env.devnet.chain.height - got.blockHeight);
    greq.setVerbosity(0);
    expect((await officialCall(transactions, 'getTransaction', greq)).transaction).toMatchObject({
      id,
      data: hex,
    });

    const op = PrivateKey.fromBytes('bls', new Uint8Array(32).fill(4));
    const bond = signedTx(env.devnet, ed().key, {
      type: PayloadType.Bond,
      from: ed().address,
      to: op.publicKey().validatorAddress(),
      publicKey: op.publicKey().bytes,
      stake: 7n * PAC,
      delegation: {
        owner: devnetAccount(env.devnet, 'ed25519-account', 1).address,
        share: 128n,
        expiry: 99_999,
      },
    });
    const dreq = new transactionPb.DecodeRawTransactionRequest();
    dreq.setRawTransaction(bond.hex);
    const decoded = await officialCall(transactions, 'decodeRawTransaction', dreq);
    expect(decoded.transaction.bond).toMatchObject({
      receiver: op.publicKey().validatorAddress().toString('testnet'),
      stake: 7_000_000_000,
      publicKey: op.publicKey().toString('testnet'),
      isDelegated: true,
      delegateShare: 128,
      delegateExpiry: 99_999,
    });

    const freq = new transactionPb.CalculateFeeRequest();
    freq.setAmount(5_000_000_000);
    freq.setPayloadType(1);
    freq.setFixedAmount(true);
    expect(await officialCall(transactions, 'calculateFee', freq)).toEqual({
      amount: 4_990_000_000,
      fee: 10_000_000,
    });

    const utils = new utilsGrpc.UtilsClient(env.devnet.endpoint, grpc.credentials.createInsecure());
    const vm = new utilsPb.VerifyMessageRequest();
    vm.setMessage('x');
    vm.setSignature('00');
    vm.setPublicKey(ed().key.publicKey().toString('testnet'));
    // A signature of the wrong length is a bad argument, not a false answer (utils.go VerifyMessage).
    await expect(officialCall(utils, 'verifyMessage', vm)).rejects.toThrow(/INVALID_ARGUMENT/);
    vm.setSignature('00'.repeat(64));
    expect(await officialCall(utils, 'verifyMessage', vm)).toEqual({ isValid: false });
    transactions.close();
    utils.close();
  });
});

describe('our client -> a server built from the official definitions', () => {
  let server: grpc.Server;
  let client: PactusNodeClient;
  const chain = new DevnetChain({
    mnemonic: 'west dice keen expand cattle cram weasel coin burger guide diet vivid',
  });
  const tx = signedTx(
    { chain } as never,
    chain.keys.accounts[0]!.key,
    transfer(chain.keys.accounts[0]!.address, chain.keys.accounts[1]!.address, PAC),
  );

  beforeAll(async () => {
    server = new grpc.Server();
    server.addService(blockchainGrpc.BlockchainService, {
      getAccount: (_call: unknown, cb: grpc.sendUnaryData<unknown>) => {
        const account = new blockchainPb.AccountInfo();
        account.setNumber(7);
        account.setBalance(1_234_567_890_123); // what the official code can represent exactly
        account.setAddress('tpc1zexample');
        const response = new blockchainPb.GetAccountResponse();
        response.setAccount(account);
        cb(null, response);
      },
      getValidator: (_call: unknown, cb: grpc.sendUnaryData<unknown>) => {
        const v = new blockchainPb.ValidatorInfo();
        v.setNumber(3);
        v.setStake(1_000_000_000_000);
        v.setUnbondingHeight(55);
        v.setIsDelegated(true);
        v.setDelegateOwner('tpc1rowner');
        v.setDelegateShare(42);
        v.setDelegateExpiry(777);
        const response = new blockchainPb.GetValidatorResponse();
        response.setValidator(v);
        cb(null, response);
      },
    });
    server.addService(transactionGrpc.TransactionService, {
      getTransaction: (_call: unknown, cb: grpc.sendUnaryData<unknown>) => {
        const info = new transactionPb.TransactionInfo();
        info.setId(transactionId(tx.tx));
        info.setData(tx.hex);
        info.setFee(10_000_000);
        info.setValue(1_000_000_000);
        info.setPayloadType(1);
        info.setConfirmed(true);
        info.setConfirmations(5);
        const response = new transactionPb.GetTransactionResponse();
        response.setBlockHeight(1234);
        response.setBlockTime(1_700_000_000);
        response.setTransaction(info);
        cb(null, response);
      },
      broadcastTransaction: (
        call: grpc.ServerUnaryCall<{ getSignedRawTransaction(): string }, unknown>,
        cb: grpc.sendUnaryData<unknown>,
      ) => {
        const response = new transactionPb.BroadcastTransactionResponse();
        response.setId(transactionId(decodeTransactionHex(call.request.getSignedRawTransaction())));
        cb(null, response);
      },
    });
    const port = await new Promise<number>((resolve, reject) =>
      server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (e, p) =>
        e ? reject(e) : resolve(p),
      ),
    );
    client = new PactusNodeClient({ endpoints: [`127.0.0.1:${port}`] });
  });
  afterAll(() => {
    client.close();
    server.forceShutdown();
  });

  it('decodes accounts, validators and transactions encoded by the official code', async () => {
    expect(await client.getAccount('tpc1zexample')).toMatchObject({
      exists: true,
      number: 7,
      balance: 1_234_567_890_123n,
    });
    expect(await client.getValidator('x')).toMatchObject({
      number: 3,
      stake: 1_000_000_000_000n,
      unbondingHeight: 55,
      delegation: { owner: 'tpc1rowner', share: 42n, expiry: 777 },
    });
    expect(await client.getTransaction('x')).toMatchObject({
      id: transactionId(tx.tx),
      raw: tx.hex,
      fee: 10_000_000n,
      value: 1_000_000_000n,
      blockHeight: 1234,
      blockTime: 1_700_000_000,
      confirmed: true,
      confirmations: 5,
    });
    expect(await client.broadcastTransaction(tx.hex)).toBe(transactionId(tx.tx));
  });
});

it('int64 values above 2^53 round-trip exactly (41,999,999.999999999 PAC)', async () => {
  const chain = new DevnetChain({
    mnemonic: 'west dice keen expand cattle cram weasel coin burger guide diet vivid',
  });
  const handlers = devnetHandlers(chain);
  const exact = 41_999_999_999_999_999n;
  handlers.GetAccount = ({ address }) => ({
    account: { hash: '', data: '', number: 1, balance: exact.toString(), address },
  });
  handlers.CalculateFee = ({ amount }) => ({ amount, fee: '1' });
  const server = new grpc.Server();
  for (const service of ['Blockchain', 'Transaction'] as const) {
    const definition = packageDefinition[`pactus.${service}`] as grpc.ServiceDefinition;
    server.addService(definition, grpcImplementation(handlers, Object.keys(definition)));
  }
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (e, p) =>
      e ? reject(e) : resolve(p),
    ),
  );
  const client = new PactusNodeClient({ endpoints: [`127.0.0.1:${port}`] });
  const address = chain.keys.accounts[0]!.address.toString('testnet');
  expect(await client.getBalance(address)).toBe(exact);
  expect((await client.calculateFee(exact, PayloadType.Transfer)).amount).toBe(exact);
  expect(Number(exact) === Number(exact - 1n)).toBe(true); // what a JS number would have lost
  client.close();
  server.forceShutdown();
});

it('RPC names cover what the client uses', () => {
  expect(Object.keys(RPC_SERVICE).sort()).toEqual(
    (
      [
        'BroadcastTransaction',
        'CalculateFee',
        'DecodeRawTransaction',
        'GetAccount',
        'GetBlock',
        'GetBlockHash',
        'GetBlockchainInfo',
        'GetCommitteeInfo',
        'GetPublicKey',
        'GetTransaction',
        'GetTxPoolContent',
        'GetValidator',
        'GetValidatorByNumber',
        'VerifyMessage',
      ] satisfies RpcName[]
    ).sort(),
  );
});
