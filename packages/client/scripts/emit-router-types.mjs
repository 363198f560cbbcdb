// Writes src/generated/router.ts: the type of Tokensmith's tRPC router as a client sees it, read
// from the real router (packages/api/src/client-router.ts) by the TypeScript compiler and written
// out in full — every procedure with its input and output spelled as plain types. So the
// published declarations carry no server internals (the request context, the database client),
// need nothing but @trpc/server, and cannot drift: every build writes them anew.
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";

const here = path.dirname(fileURLToPath(import.meta.url));
const source = path.resolve(here, "../../api/src/client-router.ts");
const target = path.resolve(here, "../src/generated/router.ts");

const config = ts.getParsedCommandLineOfConfigFile(path.resolve(here, "../../api/tsconfig.json"), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} });
const program = ts.createProgram([source], { ...config.options, noEmit: true });
const checker = program.getTypeChecker();
const file = program.getSourceFile(source);
const alias = checker.getExportsOfModule(checker.getSymbolAtLocation(file)).find((s) => s.name === "ClientRouter");
if (!alias) throw new Error("ClientRouter is not exported from packages/api/src/client-router.ts");
const router = checker.getDeclaredTypeOfSymbol(alias);

const prop = (type, name) => {
  const symbol = type.getProperty(name);
  return symbol ? checker.getTypeOfSymbol(symbol) : undefined;
};
const isIdentifier = (name) => /^[A-Za-z_$][\w$]*$/.test(name);
const key = (name) => (isIdentifier(name) ? name : JSON.stringify(name));
const indent = (depth) => "  ".repeat(depth);

/** A type written out as TypeScript, interfaces and aliases expanded, so no name needs importing. */
function print(type, depth = 1, seen = new Set()) {
  const f = type.flags;
  if (f & ts.TypeFlags.Any) return "any";
  if (f & ts.TypeFlags.Unknown) return "unknown";
  if (f & ts.TypeFlags.String) return "string";
  if (f & ts.TypeFlags.Number) return "number";
  if (f & ts.TypeFlags.Boolean) return "boolean";
  if (f & ts.TypeFlags.BigInt) return "bigint";
  if (f & ts.TypeFlags.ESSymbol) return "symbol";
  if (f & ts.TypeFlags.Undefined) return "undefined";
  if (f & ts.TypeFlags.Null) return "null";
  if (f & ts.TypeFlags.Void) return "void";
  if (f & ts.TypeFlags.Never) return "never";
  if (f & ts.TypeFlags.StringLiteral) return JSON.stringify(type.value);
  if (f & ts.TypeFlags.NumberLiteral) return String(type.value);
  if (f & ts.TypeFlags.BooleanLiteral) return checker.typeToString(type);
  if (f & ts.TypeFlags.TemplateLiteral) return "string";
  if (type.isUnion()) {
    const parts = type.types.map((t) => print(t, depth, seen));
    const hasTrue = parts.includes("true");
    const hasFalse = parts.includes("false");
    const rest = parts.filter((p) => !(hasTrue && hasFalse && (p === "true" || p === "false")));
    return [...new Set(hasTrue && hasFalse ? [...rest, "boolean"] : rest)].join(" | ");
  }
  if (type.isIntersection()) return type.types.map((t) => wrap(t, print(t, depth, seen))).join(" & ");
  if (checker.isArrayType(type)) {
    const element = checker.getTypeArguments(type)[0];
    return `${wrap(element, print(element, depth, seen))}[]`;
  }
  if (checker.isTupleType(type)) return `[${checker.getTypeArguments(type).map((t) => print(t, depth, seen)).join(", ")}]`;
  const name = type.getSymbol()?.getName();
  if (name === "Date" || name === "PropertyKey") return name;
  if (f & ts.TypeFlags.Object) {
    if (type.getCallSignatures().length > 0) return "(...args: never[]) => unknown";
    if (seen.has(type) || depth > 30) return "unknown";
    const inner = new Set(seen).add(type);
    const lines = [];
    const index = type.getStringIndexType();
    if (index) lines.push(`${indent(depth)}[key: string]: ${print(index, depth + 1, inner)};`);
    for (const symbol of checker.getPropertiesOfType(type)) {
      const optional = symbol.flags & ts.SymbolFlags.Optional ? "?" : "";
      let propType = checker.getTypeOfSymbol(symbol);
      if (optional) propType = checker.getNonNullableType(propType) === propType ? propType : propType;
      lines.push(`${indent(depth)}${key(symbol.name)}${optional}: ${print(propType, depth + 1, inner)};`);
    }
    return lines.length === 0 ? "{}" : `{\n${lines.join("\n")}\n${indent(depth - 1)}}`;
  }
  throw new Error(`cannot write out a type with flags ${f}: ${checker.typeToString(type)}`);
}
/** Parentheses around a union or intersection where it is an operand (an array's element, a member of &). */
const wrap = (type, text) => (type.isUnion() || type.isIntersection() ? `(${text})` : text);

const KINDS = { query: "TRPCQueryProcedure", mutation: "TRPCMutationProcedure", subscription: "TRPCSubscriptionProcedure" };

/** The router's record: nested routers as objects, each procedure as its kind with input and output. */
function printRecord(record, depth) {
  const lines = [];
  for (const symbol of checker.getPropertiesOfType(record)) {
    const value = checker.getTypeOfSymbol(symbol);
    const def = prop(value, "_def");
    const types = def && prop(def, "$types");
    if (types) {
      const kind = prop(def, "type");
      const kindName = KINDS[kind?.value];
      if (!kindName) throw new Error(`${symbol.name}: unknown procedure type`);
      const input = print(prop(types, "input"), depth + 2);
      const output = print(prop(types, "output"), depth + 2);
      lines.push(`${indent(depth)}${key(symbol.name)}: ${kindName}<{\n${indent(depth + 1)}input: ${input};\n${indent(depth + 1)}output: ${output};\n${indent(depth + 1)}meta: object;\n${indent(depth)}}>;`);
    } else {
      lines.push(`${indent(depth)}${key(symbol.name)}: ${printRecord(value, depth + 1)};`);
    }
  }
  return `{\n${lines.join("\n")}\n${indent(depth - 1)}}`;
}

const root = prop(prop(prop(router, "_def"), "_config"), "$types");
const errorShape = print(prop(root, "errorShape"), 3);
const record = printRecord(prop(prop(router, "_def"), "record"), 1);
const text = `// GENERATED by scripts/emit-router-types.mjs from the real router (packages/api): do not edit.
import type { TRPCBuiltRouter, TRPCMutationProcedure, TRPCQueryProcedure, TRPCSubscriptionProcedure } from "@trpc/server";

export type ClientRouterRecord = ${record};

export type ClientRouter = TRPCBuiltRouter<
  {
    ctx: object;
    meta: object;
    errorShape: ${errorShape};
    transformer: false;
  },
  ClientRouterRecord
>;

// Referenced so that every kind stays imported whichever kinds the router has today.
export type ProcedureKinds = TRPCQueryProcedure<never> | TRPCMutationProcedure<never> | TRPCSubscriptionProcedure<never>;
`;
fs.mkdirSync(path.dirname(target), { recursive: true });
fs.writeFileSync(target, text);
console.log(`wrote ${path.relative(process.cwd(), target)} (${text.split("\n").length} lines)`);
