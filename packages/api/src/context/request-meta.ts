/** What a request says about where it came from, after TRUST_PROXY has been applied. */
export interface RequestMeta {
  /** The client's address: the socket peer, or the proxy's X-Forwarded-For entry with TRUST_PROXY. */
  ip: string | undefined;
  userAgent: string | undefined;
  /** True when the client reached us over HTTPS (directly, or via a trusted proxy that says so). */
  secure: boolean;
  /** This server's own origin as the client addressed it ("https://tokens.example.com"), if known. */
  origin: string | undefined;
}

/** A complete RequestMeta (what requestMeta() returns) is used as it is; anything less is filled in. */
export const unknownRequest = (partial: Partial<RequestMeta> = {}): RequestMeta =>
  typeof partial.secure === "boolean" && "origin" in partial
    ? (partial as RequestMeta)
    : { ip: partial.ip, userAgent: partial.userAgent, secure: partial.secure ?? false, origin: partial.origin };
