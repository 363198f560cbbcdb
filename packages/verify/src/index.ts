export { createVerifier, type Caller, type RequestTarget, type Verifier, type VerifierOptions, type VerifierStatus } from "./verifier.js";
export { VerifyError, type VerifyErrorCode } from "./errors.js";
export { verifyRequest } from "./fetch-api.js";
export type { FeedEvent } from "./revocation-feed.js";
