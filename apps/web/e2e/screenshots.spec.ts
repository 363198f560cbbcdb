import { expect, test } from "@playwright/test";
import { createTokensFast, createUser, shot, signIn, signInAs, VIEWPORTS, type NewToken } from "./support";

/**
 * The three views a reviewer compares before and after a dashboard change: the list with 300
 * tokens, the rotate dialog, and the Users page on a phone. Saved under test-results/e2e/; run
 * with E2E_SCREENSHOTS=1 (on the old build for "before").
 */
test.skip(!process.env.E2E_SCREENSHOTS, "for a reviewer, not CI: E2E_SCREENSHOTS=1 pnpm test:e2e screenshots");

test("screenshots: 300 tokens, the rotate dialog, the Users page at 375 px", async ({ page, request }, info) => {
  test.setTimeout(120_000);
  const user = await createUser(request, "screens");
  await createUser(request, "screens-other");
  await signInAs(page, user);
  const kinds = ["deploy", "backup", "metrics", "payments (prod)", "billing (staging)"];
  const tokens: NewToken[] = Array.from({ length: 300 }, (_, i) => ({
    description: `svc-${String(i).padStart(3, "0")} ${kinds[i % kinds.length]}`,
    life: `${1 + (i % 90)} days`,
    ...(i % 6 === 0 ? { endpoints: ["GET /api/orders/*"] } : {}),
  }));
  await createTokensFast(page, tokens);
  await page.setViewportSize(VIEWPORTS.wide);
  await page.goto("/tokens");
  await expect(page.getByTestId("results-summary")).toContainText("300");
  await shot(page, info, "list-300-1280");
  await page.screenshot({ path: info.outputPath("list-300-1280-viewport.png") });

  await page.locator("[data-token-id]").first().getByRole("button", { name: /^Rotate/ }).click();
  await expect(page.getByRole("dialog")).toBeVisible();
  await page.screenshot({ path: info.outputPath("rotate-dialog-1280.png") });
  await page.keyboard.press("Escape");

  await page.context().clearCookies();
  await signIn(page);
  await page.setViewportSize(VIEWPORTS.narrow);
  await page.goto("/users");
  await expect(page.getByText("screens-other", { exact: true }).first()).toBeVisible();
  await shot(page, info, "users-375");
});
