export { createContextInner, createRequestContext, requestContext, type AuthedContext, type Context, type InnerContextOptions } from "./context.js";
export type { Services } from "./services.js";
export type { RequestMeta } from "./request-meta.js";
