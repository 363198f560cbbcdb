import type { OutboxEvent } from "./webhook-contracts.js";

/**
 * The uses left of use-limited tokens. Each spend is one conditional UPDATE ("usesLeft" >= count),
 * so the count is exact across every worker and instance sharing the database: concurrent spends
 * at the last use are serialised by the row's write lock, and exactly as many succeed as were left.
 */
export interface UseStore {
  /**
   * Spends `count` uses if at least that many are left: the uses left after, or null (nothing
   * spent) when fewer were left or the token has no limit. The spend that leaves none writes
   * `exhausted`'s events to the webhook outbox in its own transaction: once per token.
   */
  spend(tokenId: string, count: number, exhausted: (token: { description: string }) => readonly OutboxEvent[]): Promise<number | null>;
  /** Gives back uses a refused write had taken (a child token that was not created). */
  refund(tokenId: string, count: number): Promise<void>;
}
