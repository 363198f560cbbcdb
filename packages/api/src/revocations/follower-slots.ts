/** Why a follower was turned away: every slot is taken, or its address holds its share already. */
export type SlotRefusal = "full" | "address_full";

/**
 * Who holds a connection to the revocation feed, by client address (as limits count it: IPv6 per
 * /64). Each follower holds a socket for as long as it likes, so without a share per address one
 * client could take them all and leave every verifier that reconnects with a 503.
 */
export class FollowerSlots {
  private readonly byAddress = new Map<string, number>();
  private held = 0;

  constructor(
    readonly max: number,
    readonly perAddress: number,
  ) {}

  /** Followers connected now. */
  get count(): number {
    return this.held;
  }

  /** Distinct addresses among them. */
  get addresses(): number {
    return this.byAddress.size;
  }

  /** A slot for `address`, released by the function returned (once; later calls do nothing). */
  take(address: string): (() => void) | SlotRefusal {
    if (this.held >= this.max) return "full";
    const mine = this.byAddress.get(address) ?? 0;
    if (mine >= this.perAddress) return "address_full";
    this.byAddress.set(address, mine + 1);
    this.held++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.held--;
      const left = (this.byAddress.get(address) ?? 1) - 1;
      if (left === 0) this.byAddress.delete(address);
      else this.byAddress.set(address, left);
    };
  }
}
