import { describe, expect, it } from "vitest";
import { buildOpenApiDocument } from "@tokensmith/api";
import { OpenApiContract } from "./support/openapi-contract.js";

type Json = Record<string, any>;

/** Every example in the document, with the pointer to the schema it sits on. */
function examples(node: Json, pointer: string, found: { pointer: string; value: unknown }[] = []) {
  if (!node || typeof node !== "object") return found;
  if ("example" in node) found.push({ pointer, value: node.example });
  if (Array.isArray(node.examples)) for (const value of node.examples) found.push({ pointer, value });
  for (const [key, child] of Object.entries(node)) {
    if (key !== "example" && key !== "examples" && child && typeof child === "object") examples(child as Json, `${pointer}/${key.replace(/~/g, "~0").replace(/\//g, "~1")}`, found);
  }
  return found;
}

/** Fields (leaves) with no example of their own, nor on a field that holds them, nor an enum or const. */
function uncovered(node: Json, path: string, covered: boolean, missing: string[] = []) {
  if (!node || typeof node !== "object" || node.$ref) return missing;
  const here = covered || "example" in node || "examples" in node;
  const types = ([] as string[]).concat(node.type ?? []);
  const leaf = types.some((t) => ["string", "integer", "number", "boolean"].includes(t));
  if (leaf && !here && !("enum" in node) && !("const" in node)) missing.push(path);
  for (const [name, child] of Object.entries((node.properties ?? {}) as Json)) uncovered(child, `${path}.${name}`, here, missing);
  for (const variant of (node.anyOf ?? []) as Json[]) uncovered(variant, path, here, missing);
  if (node.items) uncovered(node.items, `${path}[]`, here, missing);
  if (node.additionalProperties && typeof node.additionalProperties === "object") uncovered(node.additionalProperties, `${path}{}`, here, missing);
  return missing;
}

/**
 * /docs shows examples generated from the document's schemas: each field needs a realistic
 * example of its own, or the generator invents one (-9007199254740991 for an integer, [""] for a
 * list, "string").
 */
describe("the OpenAPI document's examples", () => {
  const document = buildOpenApiDocument("https://tokens.example.com") as Json;

  it("every field of every schema has an example, an enum or a const", () => {
    const missing = Object.entries(document.components.schemas as Json).flatMap(([id, schema]) => uncovered(schema, id, false));
    expect(missing).toEqual([]);
  });

  it("every example is valid for the schema it sits on, and none is a placeholder", () => {
    const contract = new OpenApiContract(document);
    const all = examples(document.components.schemas, "#/components/schemas");
    expect(all.length).toBeGreaterThan(100);
    for (const { pointer, value } of all) {
      const errors = contract.errorsAt(pointer, value);
      expect(errors, `${pointer}: ${JSON.stringify(value)}`).toEqual([]);
      const text = JSON.stringify(value);
      expect(text, pointer).not.toMatch(/9007199254740991|\[""\]|"string"|^""$/);
    }
  });
});
