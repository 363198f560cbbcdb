/** A number Python holds as a float: written `360.0`, never `360`, as Python's json module writes one. */
export class PyFloat {
  constructor(readonly value: number) {}
}

const escapes: Record<string, string> = { '"': '\\"', "\\": "\\\\", "\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r", "\t": "\\t" };

/** A string as json.dumps writes it (ensure_ascii): everything outside printable ASCII as \uXXXX. */
function pyString(text: string): string {
  return `"${text.replace(/["\\\u0000-\u001f\u007f-\uffff]/g, (c) => escapes[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`)}"`;
}

function pyFloat(value: number): string {
  if (!Number.isFinite(value)) throw new Error("not a finite float");
  return Number.isInteger(value) ? value.toFixed(1) : String(value);
}

/**
 * JSON byte for byte as Flask-RESTful answers: Python's `json.dumps` with its default separators
 * (", " and ": "), ASCII only, and a final newline. Holds the few shapes Specter's token API sends:
 * objects, strings, integers, PyFloat and null.
 */
export function pythonJson(value: unknown): string {
  return `${write(value)}\n`;
}

function write(value: unknown): string {
  if (value === null || value === undefined) return "null";
  if (value instanceof PyFloat) return pyFloat(value.value);
  if (typeof value === "string") return pyString(value);
  if (typeof value === "number") return Number.isInteger(value) ? String(value) : pyFloat(value);
  if (typeof value === "boolean") return value ? "true" : "false";
  if (Array.isArray(value)) return `[${value.map(write).join(", ")}]`;
  const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
  return `{${entries.map(([k, v]) => `${pyString(k)}: ${write(v)}`).join(", ")}}`;
}
