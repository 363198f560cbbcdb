import { expect, test } from "@playwright/test";
import { createTokensFast, createUser, expectAccessible, expectNoPageOverflow, row, shot, signInAs, VIEWPORTS, type NewToken } from "./support";

const pad = (n: number) => String(n).padStart(2, "0");

for (const [name, viewport] of Object.entries(VIEWPORTS)) {
  test.describe(`token list, ${name}`, () => {
    test.use({ viewport });

    test(`search, filters, sorts and pages live in the URL; bulk revoke with one confirmation (${name})`, async ({ page, request }, info) => {
      test.setTimeout(120_000); // a long walk through the page, with axe; a loaded machine needs more than 60 s
      const user = await createUser(request, `list-${name}`);
      await signInAs(page, user);
      const tokens: NewToken[] = [];
      for (let i = 0; i < 56; i++) {
        tokens.push({ description: `${i % 2 ? "alpha" : "beta"} service ${pad(i)}`, life: `${30 + i} days`, ...(i % 7 === 0 ? { endpoints: ["GET /v1alpha/token/*"] } : {}) });
      }
      await createTokensFast(page, tokens);
      await page.reload();
      const summary = page.getByTestId("results-summary");
      const rows = page.locator("[data-token-id]");
      await expect(summary).toHaveText("Showing 1–50 of 56 active tokens");
      await expect(rows).toHaveCount(50);
      // Page 1: Previous is disabled and looks it (faded), unlike Next.
      const opacity = (name: string) => page.getByRole("button", { name }).evaluate((el) => getComputedStyle(el).opacity);
      await expect(page.getByRole("button", { name: "Previous" })).toBeDisabled();
      expect(await opacity("Previous")).toBe("0.5");
      expect(await opacity("Next")).toBe("1");
      await expectNoPageOverflow(page, "/tokens");
      await shot(page, info, `60-${name}-list`);

      // Pages: Next is a new URL, and Back returns to page 1.
      await page.getByRole("button", { name: "Next" }).click();
      await expect(page).toHaveURL(/\/tokens\?page=2$/);
      await expect(summary).toHaveText("Showing 51–56 of 56 active tokens");
      await shot(page, info, `61-${name}-page-2`);
      await page.goBack();
      await expect(summary).toHaveText("Showing 1–50 of 56 active tokens");

      // Search by words of the description, in any order.
      await page.getByLabel("Search").fill("beta");
      await expect(page).toHaveURL(/q=beta/);
      await expect(summary).toHaveText("Showing 1–28 of 28 active tokens");
      const titles = await rows.evaluateAll((els) => els.map((e) => e.querySelector("a")?.textContent ?? ""));
      expect(titles.every((t) => t.includes("beta"))).toBe(true);
      await page.getByLabel("Search").fill("service   BETA");
      await expect(summary).toHaveText("Showing 1–28 of 28 active tokens");
      await page.getByLabel("Search").fill("service beta gamma");
      await expect(summary).toHaveText("No tokens found");
      await shot(page, info, `62-${name}-search`);

      // Search by an id prefix: the row shows the prefix it is found by.
      await page.getByLabel("Search").fill("");
      await expect(summary).toHaveText(/of 56 active tokens/);
      const id = (await rows.nth(3).getAttribute("data-token-id"))!;
      await page.getByLabel("Search").fill(id.slice(0, 6));
      await expect(summary).toHaveText("Showing 1–1 of 1 active tokens");
      await expect(rows.first()).toContainText(id.slice(0, 8));

      // Filters and order; the view survives a reload and opens the same from a shared link.
      await page.getByLabel("Search").fill("");
      await expect(page).not.toHaveURL(/q=/);
      await page.getByLabel("Endpoints", { exact: true }).selectOption("limited");
      await expect(page).toHaveURL(/endpoints=limited/);
      // A filter picked right after the search was cleared must not bring the cleared search back.
      await expect(page).not.toHaveURL(/q=/);
      await expect(page.getByLabel("Search")).toHaveValue("");
      await expect(summary).toHaveText("Showing 1–8 of 8 active tokens");
      await page.getByLabel("Order").selectOption({ label: "Expiring last" });
      await expect(page).toHaveURL(/sort=expires/);
      await expect(rows.first()).toContainText("alpha service 49");
      const shared = page.url();
      const order = await rows.evaluateAll((els) => els.map((e) => e.getAttribute("data-token-id")));
      const other = await page.context().newPage();
      await other.goto(shared);
      await expect(other.getByTestId("results-summary")).toHaveText("Showing 1–8 of 8 active tokens");
      expect(await other.locator("[data-token-id]").evaluateAll((els) => els.map((e) => e.getAttribute("data-token-id")))).toEqual(order);
      await expect(other.getByLabel("Endpoints", { exact: true })).toHaveValue("limited");
      await other.close();
      await shot(page, info, `63-${name}-filtered`);
      await page.goBack();
      await page.goBack();
      await expect(page.getByLabel("Endpoints", { exact: true })).toHaveValue("any");

      // Tokens created in the same second keep one order (ties broken by id): a reload shows it again.
      await page.goto("/tokens?q=service");
      await expect(summary).toHaveText(/of 56 active tokens/);
      const first = await rows.evaluateAll((els) => els.map((e) => e.getAttribute("data-token-id")));
      await page.reload();
      await expect(summary).toHaveText(/of 56 active tokens/);
      expect(await rows.evaluateAll((els) => els.map((e) => e.getAttribute("data-token-id")))).toEqual(first);

      // Bulk revoke: select three, one confirmation naming them, then they are gone.
      const boxes = page.getByRole("checkbox", { name: /^Select (alpha|beta) service/ });
      const chosen: string[] = [];
      for (let i = 0; i < 3; i++) {
        await boxes.nth(i).check();
        chosen.push(((await boxes.nth(i).getAttribute("aria-label")) ?? "").replace(/^Select /, ""));
      }
      await expect(page.getByText("3 tokens selected")).toBeVisible();
      await shot(page, info, `64-${name}-selected`);
      await page.getByRole("button", { name: "Revoke 3 selected tokens" }).click();
      const confirm = page.getByRole("alertdialog");
      for (const label of chosen) await expect(confirm).toContainText(label);
      await shot(page, info, `65-${name}-bulk-confirm`);
      await confirm.getByRole("button", { name: "Revoke 3 tokens", exact: true }).click();
      await expect(page.getByText("Revoked 3 tokens")).toBeVisible();
      await expect(summary).toHaveText(/of 53 active tokens/);
      await expect(summary).toBeFocused();
      await shot(page, info, `66-${name}-bulk-revoked`);

      // Revoked tokens are under Inactive, with nothing left to act on.
      await page.getByRole("button", { name: "Inactive", exact: true }).click();
      await expect(page).toHaveURL(/state=inactive/);
      await expect(summary).toHaveText("Showing 1–3 of 3 inactive tokens");
      await expect(rows.first().getByText("Revoked", { exact: true })).toBeVisible();
      await expect(rows.getByRole("button")).toHaveCount(0);
      await expect(page.getByLabel("Status")).toHaveValue("inactive");
      await page.getByLabel("Status").selectOption("revoked");
      await expect(summary).toHaveText("Showing 1–3 of 3 inactive tokens");
      await page.getByRole("button", { name: "Active", exact: true }).click();
      await expect(page.getByLabel("Status")).toHaveValue("active");

      // "Expires soon" follows each token's own life, on the page's one clock: 22 hours on, a 1-day
      // token (its last 2.4 hours) is soon, a 30-day one (its last day) is not. The rule is said
      // only where it applies: under a list holding such a token, and with the filter.
      await createTokensFast(page, [
        { description: "clock day", life: "1 day" },
        { description: "clock month", life: "30 days" },
      ]);
      await page.clock.install();
      await page.goto("/tokens?q=clock");
      await expect(rows).toHaveCount(2);
      await expect(row(page, "clock day").getByText("Valid", { exact: true })).toBeVisible();
      const rule = page.getByText("Expires soon: less than a tenth of its lifetime is left");
      await expect(rule).toHaveCount(0);
      await page.clock.fastForward("22:00:00");
      await expect(row(page, "clock day").getByText("Expires soon")).toBeVisible();
      await expect(row(page, "clock month").getByText("Valid", { exact: true })).toBeVisible();
      await expect(rule).toBeVisible();
      await shot(page, info, `67-${name}-expires-soon`);
    });
  });
}

test("at 1280×800 about fifteen tokens fit on the screen, one line each; a token never used says so", async ({ page, request }, info) => {
  await page.setViewportSize(VIEWPORTS.wide);
  const user = await createUser(request, "compact");
  await signInAs(page, user);
  await createTokensFast(
    page,
    Array.from({ length: 30 }, (_, i) => ({ description: `payments worker ${pad(i)} (prod)`, life: "30 days", ...(i % 3 === 0 ? { endpoints: ["GET /api/orders/*", "POST /api/orders"] } : {}) })),
  );
  await page.reload();
  const rows = page.locator("[data-token-id]");
  await expect(rows).toHaveCount(30);
  const inView = await rows.evaluateAll((els) => els.filter((el) => el.getBoundingClientRect().bottom <= window.innerHeight).length);
  console.log(`[compact] ${inView} rows fully in view at 1280×800`);
  expect(inView).toBeGreaterThanOrEqual(15);
  const heights = await rows.evaluateAll((els) => els.map((el) => el.getBoundingClientRect().height));
  expect(Math.max(...heights)).toBeLessThanOrEqual(42);
  await expect(rows.first().getByText("Never used")).toBeVisible();
  await expect(rows.first().getByTestId("sparkline")).toHaveCount(0);
  await page.screenshot({ path: info.outputPath("68-compact-1280.png") });
  await expectAccessible(page, info, "compact list, 1280");
});

test("a calm list: minutes, not ticking seconds; the number by the sparkline says what it counts; the search hint fits", async ({ page, request }, info) => {
  const user = await createUser(request, "calm-list");
  await signInAs(page, user);
  const [made] = await createTokensFast(page, [{ description: "short job", life: "50 minutes" }]);
  expect((await request.get("/v1alpha/token/self", { headers: { Authorization: `Bearer ${made!.token}` } })).status()).toBe(200);
  const used = row(page, "short job");
  await expect(async () => {
    await page.reload();
    await expect(used.getByTestId("sparkline-count")).toHaveText("1 in 24 h", { timeout: 2_000 });
  }).toPass({ timeout: 20_000 });
  await expect(used.getByTestId("sparkline-count")).toHaveAttribute("title", "1 request in the last 24 hours");
  await expect(used.getByRole("img", { name: "1 request in the last 24 hours" })).toBeAttached();
  await expect(used.getByTestId("remaining")).toHaveText(/^(49|50) min$/);
  for (const [name, viewport] of Object.entries(VIEWPORTS)) {
    await page.setViewportSize(viewport);
    // The placeholder, as painted in the box's font, fits inside the box.
    const overflow = await page.getByLabel("Search").evaluate((input: HTMLInputElement) => {
      const style = getComputedStyle(input);
      const context = document.createElement("canvas").getContext("2d")!;
      context.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
      const room = input.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
      return context.measureText(input.placeholder).width - room;
    });
    expect(overflow, `the search placeholder is cut off at ${name}`).toBeLessThanOrEqual(0);
    await expectAccessible(page, info, `calm list, ${name}`);
  }
  await page.emulateMedia({ colorScheme: "dark" });
  await expectAccessible(page, info, "calm list, dark");
});
