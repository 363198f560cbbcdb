export {
  ENDPOINT_METHODS,
  MAX_PATTERNS,
  MAX_PATTERN_LENGTH,
  parseEndpointPattern,
  endpointMatches,
  endpointAllowed,
  patternCovers,
  endpointsCovered,
  type PatternResult,
} from "./patterns.js";
export { MAX_PATH_LENGTH, type MatchStats } from "./glob.js";
export { normalizeRequestPath, type NormalizedPath } from "./request-path.js";
export {
  MAX_AUDIENCES,
  MAX_AUDIENCE_LENGTH,
  parseAudience,
  audienceWithin,
  audienceAccepts,
  audienceClaim,
  audienceOfClaim,
  type AudienceResult,
} from "./audience.js";
export { isTokenType } from "./token-type.js";
export { dpopTarget, isJwkThumbprint, type DpopTarget } from "./dpop-target.js";
