import http from "node:http";

/**
 * A follower of the revocation feed over a bare node:http request, for what the verifier hides:
 * the status, each event, a reader that stops reading for a while, the address it comes from.
 */
export interface RawFollower {
  status: number;
  body: string;
  /** Token ids seen, in `revoked` events and in any `snapshot` event's list. */
  revoked: Set<string>;
  /** The `seq` of each heartbeat, in order. */
  heartbeats: number[];
  /** Whether a `snapshot` event has arrived (the end of a new follower's catch-up). */
  snapshot: boolean;
  /** The server ended the stream (or the socket broke) before close() was called. */
  ended: boolean;
  pause(): void;
  resume(): void;
  close(): void;
}

export interface FollowOptions {
  headers?: Record<string, string>;
  /** The source address to connect from (any 127.x.y.z reaches a server on 127.0.0.1). */
  localAddress?: string;
  agent?: http.Agent;
}

export function openFollower(url: string, options: FollowOptions = {}): Promise<RawFollower> {
  return new Promise((resolve, reject) => {
    let closing = false;
    const req = http.get(`${url}/v1alpha/revocations`, { headers: options.headers ?? {}, localAddress: options.localAddress, agent: options.agent ?? false }, (res) => {
      const follower: RawFollower = {
        status: res.statusCode ?? 0,
        body: "",
        revoked: new Set(),
        heartbeats: [],
        snapshot: false,
        ended: false,
        pause: () => res.pause(),
        resume: () => res.resume(),
        close: () => {
          closing = true;
          req.destroy();
        },
      };
      res.setEncoding("utf8");
      let buffer = "";
      res.on("data", (chunk: string) => {
        if (follower.status !== 200) return void (follower.body += chunk);
        buffer += chunk;
        let end: number;
        while ((end = buffer.indexOf("\n\n")) !== -1) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const field = (name: string) => block.split("\n").find((line) => line.startsWith(`${name}: `))?.slice(name.length + 2);
          const data = field("data");
          if (data === undefined) continue;
          const parsed = JSON.parse(data);
          const event = field("event");
          if (event === "revoked") follower.revoked.add(parsed.jti);
          else if (event === "snapshot") {
            follower.snapshot = true;
            for (const entry of parsed.revoked) follower.revoked.add(entry.jti);
          } else if (event === "heartbeat") follower.heartbeats.push(parsed.seq);
        }
      });
      const ended = () => {
        if (!closing) follower.ended = true;
      };
      res.on("end", ended);
      res.on("close", ended);
      res.on("error", ended);
      resolve(follower);
    });
    req.on("error", (error) => (closing ? undefined : reject(error)));
  });
}
