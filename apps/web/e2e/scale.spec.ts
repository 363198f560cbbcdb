import { expect, test } from "@playwright/test";
import { createTokensFast, createUser, shot, signInAs, type NewToken } from "./support";

const COUNT = 10_000;

/**
 * Marks, in the page's own clock: when the first token row appears, when the header has hydrated,
 * when the search box last changed and when the results summary last changed. An init script, so
 * the app carries nothing for its tests.
 */
function installProbes() {
  const w = window as unknown as Record<string, number | number[]>;
  w.__longTasks = [];
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) (w.__longTasks as number[]).push(entry.duration);
  }).observe({ type: "longtask", buffered: true });
  new MutationObserver(() => {
    if (w.__firstRow === undefined && document.querySelector("[data-token-id]")) w.__firstRow = performance.now();
    if (w.__hydrated === undefined && document.querySelector("header[data-ready]")) w.__hydrated = performance.now();
    const summary = document.querySelector("[data-testid=results-summary]")?.textContent ?? "";
    if (summary !== (w.__summaryText as unknown as string)) {
      (w as Record<string, unknown>).__summaryText = summary;
      w.__summaryChanged = performance.now();
    }
  }).observe(document, { subtree: true, childList: true, characterData: true, attributes: true });
  document.addEventListener("input", () => (w.__typed = performance.now()), true);
}

test("10,000 tokens for one user: the list is interactive in under a second and search answers fast", async ({ page, request }, info) => {
  test.setTimeout(180_000);
  const user = await createUser(request, "scale");
  await signInAs(page, user);
  const tokens: NewToken[] = Array.from({ length: COUNT }, (_, i) => ({
    description: `svc-${String(i).padStart(5, "0")} ${["deploy", "backup", "metrics", "billing"][i % 4]}`,
    life: `${1 + (i % 300)} days`,
  }));
  const seedStart = Date.now();
  await createTokensFast(page, tokens);
  const seedMs = Date.now() - seedStart;

  await page.addInitScript(installProbes);
  // Warm once (the first request after seeding also warms the server's caches), then measure.
  await page.goto("/tokens");
  await expect(page.getByTestId("results-summary")).toHaveText("Showing 1–50 of 10,000 active tokens");
  await page.goto("/tokens");
  await expect(page.getByTestId("results-summary")).toHaveText("Showing 1–50 of 10,000 active tokens");
  const load = await page.evaluate(() => {
    const w = window as unknown as Record<string, number>;
    const search = performance.getEntriesByType("resource").find((e) => e.name.includes("token.search")) as PerformanceResourceTiming | undefined;
    return {
      firstRow: w.__firstRow,
      hydrated: w.__hydrated,
      domContentLoaded: (performance.getEntriesByType("navigation")[0] as PerformanceNavigationTiming).domContentLoadedEventEnd,
      searchBytes: search?.encodedBodySize ?? 0,
      elements: document.getElementsByTagName("*").length,
      height: document.documentElement.scrollHeight,
    };
  });
  await shot(page, info, "130-scale-list");

  // Search: type a name that only one token has; from the last key to the row on screen.
  const box = page.getByLabel("Search");
  await box.pressSequentially("svc-04242", { delay: 30 });
  await expect(page.getByTestId("results-summary")).toHaveText("Showing 1–1 of 1 active tokens");
  const searched = await page.evaluate(() => {
    const w = window as unknown as Record<string, number>;
    const requests = performance.getEntriesByType("resource").filter((e) => e.name.includes("token.search")) as PerformanceResourceTiming[];
    const last = requests[requests.length - 1]!;
    return { typedToShown: w.__summaryChanged - w.__typed, requestToShown: w.__summaryChanged - last.startTime, server: last.responseEnd - last.startTime };
  });
  await shot(page, info, "131-scale-search");

  // A page of 100 rows, then 5 seconds of the countdowns ticking: long tasks counted.
  await page.goto("/tokens?size=100&sort=expires&order=asc");
  await expect(page.locator("[data-token-id]")).toHaveCount(100);
  await page.evaluate(() => ((window as unknown as Record<string, number[]>).__longTasks = []));
  await page.waitForTimeout(5_000);
  const ticking = await page.evaluate(() => (window as unknown as Record<string, number[]>).__longTasks);

  const figures = [
    `seeded ${COUNT} tokens in ${(seedMs / 1000).toFixed(1)} s`,
    `/tokens: first rows at ${load.firstRow.toFixed(0)} ms, hydrated at ${load.hydrated.toFixed(0)} ms, interactive at ${Math.max(load.firstRow, load.hydrated).toFixed(0)} ms after navigation (DOMContentLoaded ${load.domContentLoaded.toFixed(0)} ms)`,
    `one page: ${(load.searchBytes / 1024).toFixed(1)} KB answer, ${load.elements} DOM elements, ${load.height} px tall`,
    `search: request to rows shown ${searched.requestToShown.toFixed(0)} ms (server answer ${searched.server.toFixed(0)} ms); last key to rows ${searched.typedToShown.toFixed(0)} ms, including a 120 ms pause for typing`,
    `100 rows ticking for 5 s: ${ticking.length} long tasks${ticking.length ? ` (longest ${Math.max(...ticking).toFixed(0)} ms)` : ""}`,
  ];
  for (const line of figures) console.log(`[scale] ${line}`);
  await info.attach("scale figures", { body: figures.join("\n"), contentType: "text/plain" });
  // Loose bounds only: a slow machine must not fail the suite, a pathological page must.
  expect(Math.max(load.firstRow, load.hydrated)).toBeLessThan(5_000);
  expect(searched.requestToShown).toBeLessThan(2_000);
});
