/**
 * PACTUS_GRPC's endpoints (host:port, comma-separated). A module of its own so that configuration can check them
 * without loading gRPC.
 */
export function parseEndpoints(value: string): string[] {
  const endpoints = value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const endpoint of endpoints)
    if (!/^[\w.-]+:\d{1,5}$|^\[[\da-fA-F:]+\]:\d{1,5}$/.test(endpoint))
      throw new Error(`PACTUS_GRPC endpoint "${endpoint}" is not host:port.`);
  if (endpoints.length === 0) throw new Error('PACTUS_GRPC lists no endpoint.');
  return endpoints;
}
