export type KnownClientKind = "address" | "device";

/**
 * Clients that gave a user's right password lately, by marker (a SHA-256 of what marks the client:
 * never the secret itself). Shared by every instance: a success on one counts on all.
 */
export interface KnownClientStore {
  /**
   * The user named `username`, in any case ("ADMIN" is "admin"; null when there is none), and which of `markers` it holds that are
   * still known at `now`, with when each stops. Markers belong to the user's id, so a user deleted
   * and made again under the same name starts with none. At most two markers (an address, a device).
   */
  held(username: string, markers: readonly string[], now: number): Promise<{ userId: string; held: Map<string, number> } | null>;
  /**
   * Knows `marker` for the user until `expiresAt` (replacing `replaces`, a device marker that was
   * just used), then keeps only the `keep` newest of that kind for the user and drops any expired.
   */
  remember(input: { userId: string; marker: string; kind: KnownClientKind; expiresAt: number; replaces?: string; keep: number; now: number }): Promise<void>;
}
