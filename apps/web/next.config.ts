import type { NextConfig } from "next";

const config: NextConfig = {
  // /v1alpha/token/ and /v1alpha/token are both served (by the lean server); never redirect between them.
  skipTrailingSlashRedirect: true,
  poweredByHeader: false,
  reactStrictMode: true,
};

export default config;
