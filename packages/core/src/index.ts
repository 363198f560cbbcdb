export * from "./lifetime.js";
export * from "./expiry.js";
export * from "./password.js";
export * from "./hash.js";
export * from "./jwt.js";
export * from "./master-secret.js";
export * from "./signing-keys.js";
export * from "./endpoints.js";
