import * as grpc from '@grpc/grpc-js';
import { describe, expect, it } from 'vitest';
import { PactusNodeClient } from '../../../chain/client.js';
import { NodeUnavailable } from '../../../chain/errors.js';
import { packageDefinition } from '../../../chain/grpc.js';
import { startDevnet } from '../../../devnet/index.js';
import { freePort } from '../../support/ports.js';
import { PAC, devnetAccount, signedTx, transfer } from '../../support/txs.js';

describe('node faults', () => {
  it('a stopped node gives NodeUnavailable within the deadline; after a restart the client recovers', async () => {
    const devnet = await startDevnet({ blockMs: 200 });
    const client = new PactusNodeClient({
      endpoints: [devnet.endpoint],
      deadlineMs: 500,
      readAttempts: 3,
      backoffMs: 50,
    });
    const address = devnet.chain.keys.accounts[0]!.address.toString('testnet');
    expect((await client.getAccount(address)).exists).toBe(true);

    await devnet.stop();
    const started = Date.now();
    await expect(client.getAccount(address)).rejects.toBeInstanceOf(NodeUnavailable);
    expect(Date.now() - started).toBeLessThan(3 * 500 + 3 * 200);
    await expect(client.getBlockchainInfo()).rejects.toThrow(/unreachable/);

    const restarted = await startDevnet({ port: devnet.port, chain: devnet.chain, blockMs: 200 });
    let recovered = false;
    for (let i = 0; i < 50 && !recovered; i++) {
      recovered = await client.getAccount(address).then(
        () => true,
        () => false,
      );
      if (!recovered) await new Promise((r) => setTimeout(r, 100));
    }
    expect(recovered).toBe(true);
    client.close();
    await restarted.stop();
  });

  it('with the first endpoint dead, reads and broadcasts succeed via the second', async () => {
    const devnet = await startDevnet({ blockMs: 200 });
    const client = new PactusNodeClient({
      endpoints: [`127.0.0.1:${await freePort()}`, devnet.endpoint],
      deadlineMs: 1000,
    });
    const from = devnetAccount(devnet, 'ed25519-account', 0);
    expect((await client.getAccount(from.address.toString('testnet'))).balance).toBeGreaterThan(0n);

    const client2 = new PactusNodeClient({
      endpoints: [`127.0.0.1:${await freePort()}`, devnet.endpoint],
      deadlineMs: 1000,
    });
    const { hex } = signedTx(
      devnet,
      from.key,
      transfer(from.address, devnetAccount(devnet, 'ed25519-account', 1).address, PAC),
    );
    const id = await client2.broadcastTransaction(hex);
    expect(
      devnet.chain
        .poolContent()
        .map((t) => t.id)
        .concat(devnet.chain.transaction(id) ? [id] : []),
    ).toContain(id);
    client.close();
    client2.close();
    await devnet.stop();
  });

  it('a node that never answers hits the deadline and is reported unavailable', async () => {
    const server = new grpc.Server();
    const definition = packageDefinition['pactus.Blockchain'] as grpc.ServiceDefinition;
    const silent: grpc.UntypedServiceImplementation = {};
    for (const name of Object.keys(definition)) silent[name] = () => undefined; // never calls back
    server.addService(definition, silent);
    const port = await new Promise<number>((resolve, reject) =>
      server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (e, p) =>
        e ? reject(e) : resolve(p),
      ),
    );
    const client = new PactusNodeClient({
      endpoints: [`127.0.0.1:${port}`],
      deadlineMs: 300,
      readAttempts: 2,
      backoffMs: 10,
    });
    const started = Date.now();
    await expect(client.getBlockchainInfo()).rejects.toThrow(/DEADLINE_EXCEEDED/);
    expect(Date.now() - started).toBeLessThan(2000);
    client.close();
    server.forceShutdown();
  });

  it('a broadcast that timed out is not sent twice: the client finds it by ID first', async () => {
    const devnet = await startDevnet({ blockMs: 200 });
    const from = devnetAccount(devnet, 'ed25519-account', 2);
    const { hex } = signedTx(
      devnet,
      from.key,
      transfer(from.address, devnetAccount(devnet, 'ed25519-account', 3).address, PAC),
    );
    // The first "node" accepts the broadcast into the real devnet but never answers, like a lost response.
    const server = new grpc.Server();
    const tdef = packageDefinition['pactus.Transaction'] as grpc.ServiceDefinition;
    const bdef = packageDefinition['pactus.Blockchain'] as grpc.ServiceDefinition;
    let received = 0;
    const lossy: grpc.UntypedServiceImplementation = {};
    for (const name of Object.keys(tdef)) lossy[name] = () => undefined;
    lossy.BroadcastTransaction = (
      call: grpc.ServerUnaryCall<{ signed_raw_transaction: string }, unknown>,
    ) => {
      received++;
      devnet.chain.submit(Uint8Array.from(Buffer.from(call.request.signed_raw_transaction, 'hex')));
    };
    server.addService(tdef, lossy);
    const silent: grpc.UntypedServiceImplementation = {};
    for (const name of Object.keys(bdef)) silent[name] = () => undefined;
    server.addService(bdef, silent);
    const port = await new Promise<number>((resolve, reject) =>
      server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (e, p) =>
        e ? reject(e) : resolve(p),
      ),
    );
    const client = new PactusNodeClient({
      endpoints: [`127.0.0.1:${port}`, devnet.endpoint],
      deadlineMs: 300,
    });
    const id = await client.broadcastTransaction(hex);
    expect(received).toBe(1);
    expect(
      devnet.chain.poolContent().some((t) => t.id === id) || devnet.chain.transaction(id) !== undefined,
    ).toBe(true);
    client.close();
    server.forceShutdown();
    await devnet.stop();
  });
});

describe('basic auth (PIP-20)', () => {
  it('calls carry the credentials; without or with wrong ones the node refuses', async () => {
    const devnet = await startDevnet({ blockMs: 200, basicAuth: 'bot:s3cret' });
    const address = devnet.chain.keys.accounts[0]!.address.toString('testnet');
    const good = new PactusNodeClient({ endpoints: [devnet.endpoint], basicAuth: 'bot:s3cret' });
    expect((await good.getAccount(address)).exists).toBe(true);
    for (const auth of [undefined, 'bot:wrong']) {
      const bad = new PactusNodeClient({ endpoints: [devnet.endpoint], basicAuth: auth });
      await expect(bad.getAccount(address)).rejects.toThrow(/refused the credentials/);
      bad.close();
    }
    good.close();
    await devnet.stop();
  });
});
