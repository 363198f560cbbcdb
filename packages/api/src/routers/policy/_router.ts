import { adminProcedure, createTRPCRouter, passwordAdminProcedure, protectedProcedure } from "../../trpc.js";
import { policyScopeInput, setPolicyInput, violationsInput } from "./policy.schema.js";
import { effectiveFor, getPolicy, policyViolations, setPolicy } from "./handlers.js";

/**
 * Administrators' token policies: server-wide, and per person or service account. Setting one
 * needs a password (like managing users); anyone may read what applies to their own new tokens.
 */
export const policyRouter = createTRPCRouter({
  get: adminProcedure.input(policyScopeInput).query(({ ctx, input }) => getPolicy(ctx, input)),
  set: passwordAdminProcedure.input(setPolicyInput).mutation(({ ctx, input }) => setPolicy(ctx, input)),
  effective: protectedProcedure
    .meta({ endpoint: () => "GET /v1alpha/token-policies/effective" })
    .input(policyScopeInput)
    .query(({ ctx, input }) => effectiveFor(ctx, input)),
  violations: protectedProcedure
    .meta({ endpoint: () => "GET /v1alpha/token-policies/violations" })
    .input(violationsInput)
    .query(({ ctx, input }) => policyViolations(ctx, input)),
});
