import type { inferRouterInputs, inferRouterOutputs } from "@trpc/server";
import { createCallerFactory, createTRPCRouter } from "./trpc.js";
import { authRouter } from "./routers/auth/_router.js";
import { tokenRouter } from "./routers/token/_router.js";
import { userRouter } from "./routers/user/_router.js";
import { adminRouter } from "./routers/admin/_router.js";
import { auditRouter } from "./routers/audit/_router.js";
import { keysRouter } from "./routers/keys/_router.js";
import { webhookRouter } from "./routers/webhook/_router.js";
import { serviceAccountRouter } from "./routers/service-account/_router.js";
import { policyRouter } from "./routers/policy/_router.js";

export const appRouter = createTRPCRouter({
  auth: authRouter,
  token: tokenRouter,
  user: userRouter,
  admin: adminRouter,
  audit: auditRouter,
  keys: keysRouter,
  webhook: webhookRouter,
  serviceAccount: serviceAccountRouter,
  policy: policyRouter,
});

export type AppRouter = typeof appRouter;
export type RouterInputs = inferRouterInputs<AppRouter>;
export type RouterOutputs = inferRouterOutputs<AppRouter>;

export const createCaller = createCallerFactory(appRouter);
