import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../src/config.js";

describe("FORWARD_AUTH_HEADERS", () => {
  it("is auto by default; original and forwarded in any case and spacing", () => {
    expect(loadConfig({}).forwardAuthHeaders).toBe("auto");
    expect(loadConfig({ FORWARD_AUTH_HEADERS: "" }).forwardAuthHeaders).toBe("auto");
    expect(loadConfig({ FORWARD_AUTH_HEADERS: "original" }).forwardAuthHeaders).toBe("original");
    expect(loadConfig({ FORWARD_AUTH_HEADERS: " Forwarded " }).forwardAuthHeaders).toBe("forwarded");
  });

  it("stops the start on anything else, naming what it may be", () => {
    for (const value of ["nginx", "both", "x-original", "true"]) {
      expect(() => loadConfig({ FORWARD_AUTH_HEADERS: value })).toThrow(ConfigError);
      expect(() => loadConfig({ FORWARD_AUTH_HEADERS: value })).toThrow(`FORWARD_AUTH_HEADERS "${value}" must be auto, original (nginx: X-Original-*) or forwarded (Traefik, Caddy: X-Forwarded-*)`);
    }
  });
});
