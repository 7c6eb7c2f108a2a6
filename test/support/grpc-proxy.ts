// A real @grpc/grpc-js server in front of a node that forwards every call and lets a test rewrite the answers: a
// node that is syncing, one whose last block is old, one on another chain. What it cannot fake it passes through.
import * as grpc from '@grpc/grpc-js';
import { pactusPackage, type RpcName, type Rpcs, type ServiceName } from '../../chain/grpc.js';

export type Rewrite = { [N in RpcName]?: (answer: Rpcs[N][1], request: Rpcs[N][0]) => Rpcs[N][1] };

export interface GrpcProxy {
  endpoint: string;
  /** Replaced at will; applies to the next calls. */
  rewrite: Rewrite;
  stop(): Promise<void>;
}

type Unary = (
  request: unknown,
  metadata: grpc.Metadata,
  callback: (error: grpc.ServiceError | null, response: unknown) => void,
) => void;

export async function startGrpcProxy(target: string, rewrite: Rewrite = {}): Promise<GrpcProxy> {
  const server = new grpc.Server();
  const clients: grpc.Client[] = [];
  const proxy = { rewrite } as GrpcProxy;
  for (const service of ['Blockchain', 'Transaction', 'Utils'] as ServiceName[]) {
    const Client = pactusPackage[service];
    const upstream = new Client(target, grpc.credentials.createInsecure());
    clients.push(upstream);
    const impl: grpc.UntypedServiceImplementation = {};
    for (const name of Object.keys(Client.service)) {
      // grpc-js attaches one method per RPC of the definition; the untyped call is all a proxy needs.
      const method = (upstream as unknown as Record<string, Unary>)[name]!.bind(upstream);
      impl[name] = (call: grpc.ServerUnaryCall<unknown, unknown>, callback: grpc.sendUnaryData<unknown>) => {
        method(call.request, call.metadata, (error, response) => {
          if (error) return callback(error);
          const change = proxy.rewrite[name as RpcName] as
            ((answer: unknown, request: unknown) => unknown) | undefined;
          try {
            callback(null, change ? change(response, call.request) : response);
          } catch (failure) {
            callback({ code: grpc.status.INTERNAL, details: (failure as Error).message });
          }
        });
      };
    }
    server.addService(Client.service, impl);
  }
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (e, p) =>
      e ? reject(e) : resolve(p),
    ),
  );
  proxy.endpoint = `127.0.0.1:${port}`;
  proxy.stop = async () => {
    for (const c of clients) c.close();
    server.forceShutdown();
  };
  return proxy;
}
