// The address rules live in @tokensmith/addresses (no Node, no dependencies: the offline verifier
// bundles them too). Re-exported here for the server's code.
export * from "@tokensmith/addresses";
