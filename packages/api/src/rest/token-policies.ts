import type { IncomingMessage } from "node:http";
import { parse, type Handler, type Route } from "./route.js";
import { policyScopeInput, violationsInput } from "../routers/policy/policy.schema.js";
import { effectiveFor, policyViolations } from "../routers/policy/handlers.js";

/** The query string as an object of its first values (what the zod schemas read). */
function query(req: IncomingMessage): Record<string, string | number> {
  const params = new URL(req.url ?? "/", "http://x").searchParams;
  const out: Record<string, string | number> = {};
  for (const [name, value] of params) {
    if (name in out) continue;
    out[name] = name === "limit" && /^\d{1,4}$/.test(value) ? Number(value) : value;
  }
  return out;
}

const effective: Record<string, Handler> = {
  GET: async ({ ctx, req }) => [200, await effectiveFor(ctx, parse(policyScopeInput, query(req), "query"))],
};

const violations: Record<string, Handler> = {
  GET: async ({ ctx, req }) => [200, await policyViolations(ctx, parse(violationsInput, query(req), "query"))],
};

/** /v1alpha/token-policies/effective and /violations (segments already split, starting "v1alpha", "token-policies"). */
export function tokenPolicyRoute(segments: string[]): Route | null {
  if (segments.length !== 3) return null;
  if (segments[2] === "effective") return { handlers: effective, id: "", canonical: "/v1alpha/token-policies/effective" };
  if (segments[2] === "violations") return { handlers: violations, id: "", canonical: "/v1alpha/token-policies/violations" };
  return null;
}
