import { Ajv2020 } from "ajv/dist/2020.js";
import addFormatsModule from "ajv-formats";
import { expect } from "vitest";

type Json = Record<string, any>;
const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => void;

/** The answer to one real request: enough to hold it against the document. */
export interface Answer {
  status: number;
  headers: Headers;
  text: string;
}

/**
 * The served OpenAPI document as a contract: `check` holds a real response against the operation's
 * documented response for its status (content type, body schema via ajv, required headers), and
 * remembers it, so `unexercised` can tell which documented responses no test has produced.
 */
export class OpenApiContract {
  private readonly ajv = new Ajv2020({ strict: false, allErrors: true });
  private readonly seen = new Set<string>();

  constructor(readonly document: Json) {
    addFormats(this.ajv);
    this.ajv.addSchema({ ...document, $id: "openapi.json" });
  }

  private resolve(object: Json): Json {
    const ref = object.$ref as string | undefined;
    if (!ref) return object;
    return ref
      .replace(/^#\//, "")
      .split("/")
      .reduce<Json>((at, key) => at[key.replace(/~1/g, "/").replace(/~0/g, "~")], this.document);
  }

  /** Errors of `value` against the schema at a pointer into the document ("#/components/schemas/X/properties/y"), or []. */
  errorsAt(pointer: string, value: unknown): string[] {
    const validate = this.ajv.compile({ $ref: `openapi.json${pointer}` });
    return validate(value) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
  }

  /** Errors of `value` against a component schema ("WebhookEventPayload"), or [] when it holds. */
  schemaErrors(component: string, value: unknown): string[] {
    const validate = this.ajv.getSchema(`openapi.json#/components/schemas/${component}`);
    if (!validate) throw new Error(`no component schema ${component}`);
    return validate(value) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
  }

  /** Every documented "METHOD path status". */
  documented(): string[] {
    const all: string[] = [];
    for (const [path, item] of Object.entries<Json>(this.document.paths)) {
      for (const method of ["get", "put", "post", "delete", "patch", "head", "options"]) {
        for (const status of Object.keys(item[method]?.responses ?? {})) all.push(`${method.toUpperCase()} ${path} ${status}`);
      }
    }
    return all;
  }

  /** Checks one real answer against `METHOD path` in the document; returns the parsed body. */
  check(method: string, path: string, answer: Answer): any {
    const where = `${method} ${path} ${answer.status}`;
    const operation = this.document.paths[path]?.[method.toLowerCase()];
    expect(operation, `${method} ${path} is documented`).toBeDefined();
    const documented = operation.responses[String(answer.status)];
    expect(documented, `${where} is documented (body: ${answer.text.slice(0, 200)})`).toBeDefined();
    const response = this.resolve(documented);
    for (const [name, header] of Object.entries<Json>(response.headers ?? {})) {
      const spec = this.resolve(header);
      const value = answer.headers.get(name);
      if (spec.required) expect(value, `${where}: header ${name}`).not.toBeNull();
      if (value !== null && spec.schema?.pattern) expect(value, `${where}: header ${name}`).toMatch(new RegExp(spec.schema.pattern));
    }
    let body: unknown = undefined;
    if (!response.content) {
      expect(answer.text, `${where} has no body`).toBe("");
    } else {
      const type = (answer.headers.get("content-type") ?? "").split(";")[0]!.trim();
      expect(Object.keys(response.content), `${where}: content type`).toContain(type);
      const schema = response.content[type].schema as Json;
      if (type !== "text/event-stream") {
        body = JSON.parse(answer.text);
        const validate = schema.$ref ? this.ajv.getSchema(`openapi.json${schema.$ref}`)! : this.ajv.compile(schema);
        const valid = validate(body);
        expect(valid, `${where}: ${JSON.stringify(validate.errors)} in ${answer.text.slice(0, 300)}`).toBe(true);
      }
    }
    this.seen.add(`${method.toUpperCase()} ${path} ${answer.status}`);
    return body;
  }

  /** Documented responses that no check has met, less those `elsewhere` covers. */
  unexercised(elsewhere: (entry: string) => boolean = () => false): string[] {
    return this.documented().filter((entry) => !this.seen.has(entry) && !elsewhere(entry));
  }
}

/** A fetch that never throws on a status and reads the whole body. */
export async function call(url: string, init: RequestInit = {}): Promise<Answer> {
  const response = await fetch(url, { redirect: "manual", ...init });
  return { status: response.status, headers: response.headers, text: await response.text() };
}
