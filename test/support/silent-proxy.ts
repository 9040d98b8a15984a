import { createServer, connect, type Socket } from 'node:net';

/**
 * A TCP proxy on loopback that can go silent: it stops forwarding bytes without closing anything,
 * the way a dead Wi-Fi link or a sleeping NAT looks to both ends.
 */
export async function startSilentProxy(targetPort: number) {
  const pairs = new Set<[Socket, Socket]>();
  let silent = false;
  const server = createServer((client) => {
    const upstream = connect(targetPort, '127.0.0.1');
    const pair: [Socket, Socket] = [client, upstream];
    pairs.add(pair);
    const forward = (from: Socket, to: Socket) =>
      from.on('data', (chunk) => {
        if (!silent) to.write(chunk);
      });
    forward(client, upstream);
    forward(upstream, client);
    const close = () => {
      client.destroy();
      upstream.destroy();
      pairs.delete(pair);
    };
    client.on('error', close).on('close', close);
    upstream.on('error', close).on('close', close);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('proxy has no port');
  return {
    port: address.port,
    goSilent: () => (silent = true),
    recover: () => {
      silent = false;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const [client, upstream] of pairs) {
          client.destroy();
          upstream.destroy();
        }
        server.close(() => resolve());
      }),
  };
}
