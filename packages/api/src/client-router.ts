import type { TRPCBuiltRouter } from "@trpc/server";
import type { AppRouter } from "./root.js";

type Root = AppRouter["_def"]["_config"]["$types"];

/**
 * The router as a client sees it: the same procedures with the same inputs and outputs (derived
 * from the real router, so they cannot drift), but without the server's request context — which
 * carries the database client and every service, and would drag their types (Prisma's among
 * them) into the typed client's published declarations. A client never needs it.
 */
export type ClientRouter = TRPCBuiltRouter<
  { ctx: object; meta: object; errorShape: Root["errorShape"]; transformer: Root["transformer"] },
  AppRouter["_def"]["record"]
>;
