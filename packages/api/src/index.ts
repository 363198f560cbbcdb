export { createTokensmith, openServices, type OpenedServices, type Tokensmith } from "./app.js";
export { loadConfig, ConfigError, type Config } from "./config.js";
export { appRouter, createCaller, type AppRouter, type RouterInputs, type RouterOutputs } from "./root.js";
export { createContextInner, createTRPCContext, type Context, type Services } from "./trpc.js";
export type { Caller } from "./auth/resolve-caller.js";
export { SESSION_COOKIE } from "./auth/cookies.js";
export { TRPC_BASE_PATH } from "./node/trpc-handler.js";
export { buildOpenApiDocument } from "./rest/openapi.js";
export type { TokenView } from "./routers/token/token.schema.js";
