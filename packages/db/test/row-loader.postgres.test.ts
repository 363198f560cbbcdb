import pg from "pg";
import { afterAll, beforeAll, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "@tokensmith/testkit";
import { createRowLoader } from "../src/postgres/row-loader.js";

let database: TestDatabase;
let pool: pg.Pool;
/** The real pool, with each query's ids written down as it is sent. */
let sent: string[][];
let counted: pg.Pool;
const SQL = `SELECT "id", "value" FROM "item" WHERE "id" = ANY($1::text[])`;

beforeAll(async () => {
  database = await createTestDatabase("postgres");
  pool = new pg.Pool({ connectionString: database.url, max: 4 });
  await pool.query(`CREATE TABLE "item" ("id" text PRIMARY KEY, "value" int NOT NULL)`);
  await pool.query(`INSERT INTO "item" SELECT 'i' || n, n FROM generate_series(1, 100) n`);
  counted = new Proxy(pool, {
    get(target, property) {
      if (property !== "query") return Reflect.get(target, property);
      return (config: pg.QueryConfig) => {
        sent.push([...(config.values![0] as string[])]);
        return target.query(config);
      };
    },
  });
});
afterAll(async () => {
  await pool?.end();
  await database?.drop();
});

it("answers ids asked for in the same turn with one query each batch, unknown ids with undefined", async () => {
  sent = [];
  const load = createRowLoader<{ id: string; value: number }>(counted, "items_a", SQL, { maxInFlight: 1, maxBatch: 25 });
  const ids = [...Array.from({ length: 55 }, (_, n) => `i${n + 1}`), "nope", "i3"];
  const rows = await Promise.all(ids.map(load));
  expect(rows.map((row) => row?.value)).toEqual([...Array.from({ length: 55 }, (_, n) => n + 1), undefined, 3]);
  expect(sent.map((batch) => batch.length)).toEqual([25, 25, 7]);
});

it("sends ids asked for, turn after turn, while the only query slot is taken together, in the next query", async () => {
  sent = [];
  // Each query takes 50 ms: the ids below are all asked for while the first is out.
  const slow = `SELECT "id", "value" FROM "item", pg_sleep(0.05) WHERE "id" = ANY($1::text[])`;
  const load = createRowLoader<{ id: string; value: number }>(counted, "items_b", slow, { maxInFlight: 1 });
  const turn = () => new Promise((resolve) => setImmediate(resolve));
  const first = load("i1");
  await turn(); // i1's query is out
  const later: Array<Promise<{ value: number } | undefined>> = [];
  for (const id of ["i2", "i3", "i4"]) {
    later.push(load(id));
    await turn();
  }
  expect((await first)?.value).toBe(1);
  expect((await Promise.all(later)).map((row) => row?.value)).toEqual([2, 3, 4]);
  expect(sent).toEqual([["i1"], ["i2", "i3", "i4"]]);
});

it("a failed query fails each of its loads, and frees its slot for the next", async () => {
  sent = [];
  const load = createRowLoader<{ id: string; value: number }>(counted, "items_c", `SELECT "id", "value" FROM "item" WHERE "id" = ANY($1::text[]) AND 1 / (length("id") - 2) > 0`, { maxInFlight: 1 });
  const failing = await Promise.allSettled([load("i1"), load("i2")]);
  expect(failing.map((result) => result.status)).toEqual(["rejected", "rejected"]);
  expect((await load("i10"))?.value).toBe(10);
});

it("a hung query gives its only slot up after maxWaitMs: the id asked for after it is answered first", async () => {
  sent = [];
  const stuck = `SELECT "id", "value" FROM "item", pg_sleep(CASE WHEN 'i1' = ANY($1::text[]) THEN 3 ELSE 0 END) WHERE "id" = ANY($1::text[])`;
  const load = createRowLoader<{ id: string; value: number }>(counted, "items_d", stuck, { maxInFlight: 1, maxWaitMs: 100 });
  const order: string[] = [];
  const first = load("i1").then(() => order.push("i1"));
  await new Promise((resolve) => setImmediate(resolve)); // i1's query is out, for 3 s
  const started = Date.now();
  expect((await load("i2"))?.value).toBe(2);
  order.push("i2");
  expect(Date.now() - started).toBeLessThan(2000);
  await first;
  expect(order).toEqual(["i2", "i1"]);
  expect(sent).toEqual([["i1"], ["i2"]]);
});

it("queries that hang give their slots up after maxWaitMs: the misses after them are not held each time", async () => {
  sent = [];
  const stuck = `SELECT "id", "value" FROM "item", pg_sleep(CASE WHEN 'i99' = ANY($1::text[]) THEN 3 ELSE 0 END) WHERE "id" = ANY($1::text[])`;
  const load = createRowLoader<{ id: string; value: number }>(counted, "items_f", stuck, { maxInFlight: 2, maxWaitMs: 300 });
  const turn = () => new Promise((resolve) => setImmediate(resolve));
  const hung = [load("i99"), (await turn(), load("i99"))]; // both slots taken, for 3 s
  await new Promise((resolve) => setTimeout(resolve, 400));
  for (const id of ["i5", "i6", "i7", "i8", "i9"]) {
    const started = Date.now();
    expect((await load(id))?.value).toBe(Number(id.slice(1)));
    expect(Date.now() - started).toBeLessThan(150);
  }
  await Promise.all(hung);
});

it("an id PostgreSQL cannot hold (a NUL) is unknown, and does not fail the others asked for with it", async () => {
  sent = [];
  const load = createRowLoader<{ id: string; value: number }>(counted, "items_e", SQL);
  const [bad, good] = await Promise.allSettled([load("i1\u0000"), load("i1")]);
  expect(bad).toEqual({ status: "fulfilled", value: undefined });
  expect(good).toEqual({ status: "fulfilled", value: { id: "i1", value: 1 } });
  expect(sent).toEqual([["i1"]]);
});
