// Plain JavaScript, not next.config.ts: Next compiles a TypeScript config with its SWC binary, which
// then stays mapped in the server process (24 MB resident) for nothing else in production.
/** @type {import("next").NextConfig} */
const config = {
  // /v1alpha/token/ and /v1alpha/token are both served (by the lean server); never redirect between them.
  skipTrailingSlashRedirect: true,
  poweredByHeader: false,
  reactStrictMode: true,
};

export default config;
