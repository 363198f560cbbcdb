import { z } from "zod";
import { safeText } from "../text.js";
import { username } from "../user/user.schema.js";
import { createTokenInput, tokenId } from "../token/token.schema.js";

export const DESCRIPTION_MAX = 500;

/** A service account's name follows the usernames' rule: it shares their namespace (any case). */
export const accountName = username;
export const accountDescription = safeText(z.string({ error: "must be a string" }).trim().max(DESCRIPTION_MAX, `must be at most ${DESCRIPTION_MAX} characters`));

export const createServiceAccountInput = z.object({ name: accountName, description: accountDescription.default("") });
export const serviceAccountInput = z.object({ name: accountName });
export const managerInput = z.object({ name: accountName, manager: username });
export const issueServiceTokenInput = createTokenInput.extend({ name: accountName });
export const serviceTokenInput = z.object({ name: accountName, id: tokenId });

export interface ServiceAccountView {
  id: string;
  name: string;
  description: string;
  createdAt: string;
  managers: string[];
  activeTokens: number;
}
