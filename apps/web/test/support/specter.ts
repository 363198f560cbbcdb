import { fileURLToPath } from "node:url";

export { importSpecter, specterSign, specterUsers, writeFiles } from "@tokensmith/testkit";

/** users.json and its secret, made by Specter Desktop's own code (see fixtures/specter/README.md). */
export const SPECTER_FIXTURE = fileURLToPath(new URL("../fixtures/specter/", import.meta.url));
