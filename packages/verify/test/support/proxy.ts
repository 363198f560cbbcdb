import net from "node:net";

/**
 * A TCP proxy in front of Tokensmith that can go silent: `blackhole()` stops forwarding on every
 * open connection in both directions while keeping the sockets open (as a NAT or load balancer
 * that forgot a connection does); connections opened afterwards are forwarded again.
 */
export interface SilentProxy {
  url: string;
  /** Each request head sent through the proxy (forwarded or not), in order. */
  requestHeads: string[];
  blackhole(): void;
  close(): Promise<void>;
}

export async function startProxy(targetUrl: string): Promise<SilentProxy> {
  const target = new URL(targetUrl);
  const open = new Set<net.Socket>();
  const silenced = new WeakSet<net.Socket>();
  const requestHeads: string[] = [];
  const server = net.createServer((client) => {
    const upstream = net.connect(Number(target.port), target.hostname);
    open.add(client);
    client.on("data", (chunk) => {
      // Requests here carry no body: a chunk starting with a method is a request head, whether it
      // opens the connection or reuses it (keep-alive).
      const text = chunk.toString("latin1");
      if (/^[A-Z]+ \S+ HTTP\/1\.1\r\n/.test(text)) requestHeads.push(text);
      if (!silenced.has(client)) upstream.write(chunk);
    });
    upstream.on("data", (chunk) => {
      if (!silenced.has(client)) client.write(chunk);
    });
    const end = () => {
      open.delete(client);
      client.destroy();
      upstream.destroy();
    };
    for (const socket of [client, upstream]) {
      socket.on("close", end);
      socket.on("error", end);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requestHeads,
    blackhole() {
      for (const socket of open) silenced.add(socket);
    },
    close: () =>
      new Promise((resolve) => {
        for (const socket of open) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
