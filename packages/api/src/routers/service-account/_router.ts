import { createTRPCRouter, passwordAdminProcedure, protectedProcedure } from "../../trpc.js";
import { createServiceAccountInput, issueServiceTokenInput, managerInput, serviceAccountInput, serviceTokenInput } from "./service-account.schema.js";
import { createServiceAccount, issueServiceToken, listServiceAccounts, revokeServiceToken, serviceTokens, setManager } from "./handlers.js";
import { removeUserHandler } from "../user/remove.handler.js";
import { findServiceAccount } from "./access.js";

/**
 * Non-human accounts. Administrators create and delete them and name their managers (with a
 * password, as for users); administrators and managers issue, list and revoke their tokens.
 */
export const serviceAccountRouter = createTRPCRouter({
  list: protectedProcedure.query(({ ctx }) => listServiceAccounts(ctx)),
  create: passwordAdminProcedure.input(createServiceAccountInput).mutation(({ ctx, input }) => createServiceAccount(ctx, input)),
  /** Deletes the account and ends its tokens, as deleting a user does. */
  remove: passwordAdminProcedure.input(serviceAccountInput).mutation(async ({ ctx, input }) => {
    const account = await findServiceAccount(ctx, input.name);
    return removeUserHandler(ctx, { username: account.username });
  }),
  addManager: passwordAdminProcedure.input(managerInput).mutation(({ ctx, input }) => setManager(ctx, input, true)),
  removeManager: passwordAdminProcedure.input(managerInput).mutation(({ ctx, input }) => setManager(ctx, input, false)),
  issueToken: protectedProcedure.input(issueServiceTokenInput).mutation(({ ctx, input }) => issueServiceToken(ctx, input)),
  tokens: protectedProcedure.input(serviceAccountInput).query(({ ctx, input }) => serviceTokens(ctx, input)),
  revokeToken: protectedProcedure.input(serviceTokenInput).mutation(({ ctx, input }) => revokeServiceToken(ctx, input)),
});
