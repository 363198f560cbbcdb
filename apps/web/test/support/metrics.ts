import type { RunningServer } from "./server.js";

/** Where a server started with METRICS_PORT serves /metrics, as its start-up line says. */
export const metricsUrlOf = (server: RunningServer): string => /Metrics on (http:\/\/\S+\/metrics)/.exec(server.output())![1]!;

/** tokensmith_token_first_sights_total by how the token was then checked (NaN: not served). */
export async function firstSights(metricsUrl: string): Promise<{ hash: number; signature: number }> {
  const text = await (await fetch(metricsUrl)).text();
  const count = (how: string) => Number(new RegExp(`^tokensmith_token_first_sights_total\\{how="${how}"\\} (\\d+)$`, "m").exec(text)?.[1] ?? NaN);
  return { hash: count("hash"), signature: count("signature") };
}
