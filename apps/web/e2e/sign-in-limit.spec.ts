import { expect, test } from "@playwright/test";
import { openLogin, shot } from "./support";

// Runs after every other spec (see the projects in playwright.config.ts): it leaves this IP
// locked out of signing in for a minute.
test("failed sign-ins are limited, and the page says so", async ({ page }, info) => {
  await openLogin(page);
  await page.getByLabel("Username").fill("admin");
  const alert = page.locator("form").getByRole("alert");
  const limited = /^Too many failed sign-ins\. Try again in \d+ seconds\.$/;
  // Earlier specs' failed sign-ins from this IP count too, so the limit may come before the fifth.
  const either = new RegExp(`^(Invalid username or password|${limited.source.slice(1, -1)})$`);
  let attempts = 0;
  for (let limitedNow = false; !limitedNow; ) {
    attempts++;
    expect(attempts).toBeLessThanOrEqual(6);
    await page.getByLabel("Password").fill(`wrong-${attempts}`);
    await page.getByRole("button", { name: "Sign in" }).click();
    // Wait for this attempt's answer (the button comes back once the request settles).
    await expect(page.getByRole("button", { name: "Sign in" })).toBeVisible();
    await expect(alert).toHaveText(either);
    limitedNow = limited.test((await alert.textContent()) ?? "");
  }
  expect(attempts).toBeGreaterThanOrEqual(2);
  // Now even the right password is refused, with the same message.
  await page.getByLabel("Password").fill("e2e-admin-password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(alert).toHaveText(limited);
  await expect(page).toHaveURL(/\/login$/);
  await shot(page, info, "30-rate-limited");
});
