import { z } from "zod";
import { MAX_TOKEN_LENGTH } from "../auth/bearer.js";

/** Wire shapes of the revocation endpoints (RFC 7009, and the leaked-token report), for the handlers and the OpenAPI document. */
export const oauthRevocationRequest = z
  .object({
    token: z.string().min(1).meta({ description: "The token to revoke" }),
    token_type_hint: z.string().optional().meta({ description: "Ignored: every Tokensmith token is an access token (RFC 7009 §2.1 lets a server ignore it)" }),
    client_id: z.string().optional().meta({ description: "client_secret_post: the user's name" }),
    client_secret: z.string().optional().meta({ description: "client_secret_post: the user's password" }),
  })
  .meta({ id: "OAuthRevocationRequest" });

export const emptyResponse = z.object({}).strict().meta({ id: "EmptyResponse" });

export const leakReportRequest = z
  .object({
    credentials: z
      .array(z.string().min(1).max(MAX_TOKEN_LENGTH))
      .min(1)
      .max(1000)
      .meta({ description: "The tokens found, whole (1 to 1,000). Only the text of a real token revokes it: an id does not." }),
  })
  .strict()
  .meta({ id: "LeakReportRequest" });

export const leakReportResponse = z
  .object({ message: z.string() })
  .meta({ id: "LeakReportResponse", description: "The same answer whatever was reported, real tokens or not" });
