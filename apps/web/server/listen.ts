import type { Server } from "node:net";

/** A listener that could not take its address. Said at start in one line, never a stack trace. */
export class ListenError extends Error {}

/** The settings that chose the address, named in the message: the server's, or the metrics port's. */
export interface ListenSettings {
  port: string;
  host: string;
}

function reason(error: NodeJS.ErrnoException, where: string, host: string, settings: ListenSettings): string {
  switch (error.code) {
    case "EADDRINUSE":
      return `${where} is already in use (another Tokensmith, or another program, listens there): stop it, or set ${settings.port} to a free port`;
    case "EACCES":
      return `not allowed to listen on ${where}: ports below 1024 need privileges; set ${settings.port} to 1024 or above and put a reverse proxy in front`;
    case "EADDRNOTAVAIL":
      return `cannot listen on ${where}: ${settings.host} ${host} is not an address of this machine`;
    default:
      return `cannot listen on ${where} (${settings.port}, ${settings.host}): ${error.message}`;
  }
}

/** server.listen as a promise that rejects with a ListenError saying what to change. */
export function listen(server: Server, port: number, host: string, settings: ListenSettings): Promise<void> {
  return new Promise((resolve, reject) => {
    const failed = (error: NodeJS.ErrnoException) => {
      const where = `${host.includes(":") ? `[${host}]` : host}:${port}`;
      reject(new ListenError(reason(error, where, host, settings)));
    };
    server.once("error", failed);
    server.listen(port, host, () => {
      server.off("error", failed);
      resolve();
    });
  });
}
