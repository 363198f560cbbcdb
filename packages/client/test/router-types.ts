// Type-checked by `pnpm typecheck` (never run): the generated router has exactly the real router's
// inputs and outputs — if either side changes without the other, this file stops compiling.
import type { inferRouterInputs, inferRouterOutputs } from "@trpc/server";
import type { ClientRouter as Real } from "@tokensmith/api";
import type { ClientRouter as Generated } from "../src/generated/router.js";

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const inputs: Same<inferRouterInputs<Generated>, inferRouterInputs<Real>> = true;
const outputs: Same<inferRouterOutputs<Generated>, inferRouterOutputs<Real>> = true;
export { inputs, outputs };
