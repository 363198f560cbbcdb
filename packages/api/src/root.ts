import type { inferRouterInputs, inferRouterOutputs } from "@trpc/server";
import { createCallerFactory, createTRPCRouter } from "./trpc.js";
import { authRouter } from "./routers/auth/_router.js";
import { tokenRouter } from "./routers/token/_router.js";

export const appRouter = createTRPCRouter({
  auth: authRouter,
  token: tokenRouter,
});

export type AppRouter = typeof appRouter;
export type RouterInputs = inferRouterInputs<AppRouter>;
export type RouterOutputs = inferRouterOutputs<AppRouter>;

export const createCaller = createCallerFactory(appRouter);
