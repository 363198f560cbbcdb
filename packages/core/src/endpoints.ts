// The endpoint rules live in @tokensmith/endpoints (no Node, no dependencies: browsers and the
// offline verifier use them too). This subpath stays for existing imports.
export * from "@tokensmith/endpoints";
