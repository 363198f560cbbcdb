import { expect, test } from "@playwright/test";
import { createToken, createUser, expectAccessible, expectNoPageOverflow, row, shot, signInAs, VIEWPORTS } from "./support";

for (const [name, viewport] of Object.entries(VIEWPORTS)) {
  test.describe(`token page, ${name}`, () => {
    test.use({ viewport });

    test(`every fact, lineage, events and usage; rotate and revoke from the page (${name})`, async ({ page, request }, info) => {
      test.setTimeout(120_000); // a long walk through the page, with axe; a loaded machine needs more than 60 s
      const user = await createUser(request, `detail-${name}`);
      await signInAs(page, user);
      const { dialog, token } = await createToken(page, "Deploy bot", { preset: "30 days" });
      await dialog.getByRole("button", { name: "Done" }).click();
      // Used over REST: allowed three times, and it creates a child token.
      const auth = { Authorization: `Bearer ${token}` };
      for (let i = 0; i < 3; i++) expect((await request.get("/v1alpha/token/", { headers: auth })).status()).toBe(200);
      const child = await request.post("/v1alpha/token/", { headers: auth, data: { jwt_token_description: "Deploy child", jwt_token_life: "1 day" } });
      expect(child.status()).toBe(201);

      await row(page, "Deploy bot").getByRole("link", { name: /Deploy bot/ }).click();
      await expect(page).toHaveURL(/\/tokens\/[0-9a-f-]{36}$/);
      const id = page.url().split("/").pop()!;
      await expect(page.getByRole("heading", { level: 1 })).toContainText("Deploy bot");
      const facts = page.getByRole("region", { name: "Details" });
      await expect(facts).toContainText(id);
      await expect(facts).toContainText("30 days");
      await expect(facts).toContainText("All endpoints");
      await expect(facts).toContainText("from 127.0.0.1");
      await expect(facts.getByText("Valid", { exact: true })).toBeVisible();
      await expect(page.getByTestId("usage-summary")).toContainText("4 requests in the last 24 hours");
      await expect(page.locator(".recharts-surface")).toBeVisible();
      await expect(page.getByRole("link", { name: /Deploy child/ })).toBeVisible();
      await expect(page.getByText("Token created").first()).toBeVisible();
      await expectNoPageOverflow(page, "a token's page");
      await shot(page, info, `70-${name}-token-page`);
      await page.getByRole("button", { name: "30 days" }).click();
      await expect(page.getByRole("button", { name: "30 days" })).toHaveAttribute("aria-pressed", "true");
      await expect(page.getByTestId("usage-summary")).toContainText("4 requests in the last 30 days");
      await expectAccessible(page, info, `token page (${name})`);

      // Rotate: Escape asks before the new token is lost; after Done, the new token's page.
      await page.getByRole("button", { name: /^Rotate Deploy bot/ }).click();
      await page.getByRole("dialog").getByRole("button", { name: "Rotate token" }).click();
      await expect(page.getByLabel("Your new token")).toBeVisible();
      await page.keyboard.press("Escape");
      await expect(page.getByText("Close without the token?")).toBeVisible();
      await expectAccessible(page, info, `rotate reveal asking (${name})`);
      await shot(page, info, `71-${name}-rotate-escape-asks`);
      await page.getByRole("button", { name: "Keep it open" }).click();
      await page.getByRole("button", { name: "Done" }).click();
      await expect(page).not.toHaveURL(new RegExp(id));
      await expect(page.getByRole("heading", { level: 1 })).toBeFocused();
      await shot(page, info, `72-${name}-rotated`);
      await expect(page.getByRole("heading", { level: 1 })).not.toContainText(id.slice(0, 8));
      await expect(page.getByRole("link", { name: new RegExp(`Deploy bot ${id.slice(0, 8)}`) })).toBeVisible();

      // Revoke from the page: it stays, as Revoked, and focus is on its heading.
      await page.getByRole("button", { name: /^Revoke Deploy bot/ }).click();
      await page.getByRole("alertdialog").getByRole("button", { name: "Revoke token" }).click();
      await expect(page.getByRole("region", { name: "Details" }).getByText("Revoked", { exact: true })).toBeVisible();
      await expect(page.getByRole("heading", { level: 1 })).toBeFocused();
      await expect(page.getByRole("button", { name: /^Revoke Deploy bot/ })).toHaveCount(0);
      await shot(page, info, `73-${name}-revoked`);

      // Unknown, malformed and another user's ids: a not-found page in the app, with a way back.
      const stranger = await createUser(request, `stranger-${name}`);
      const theirs = await request.post("/v1alpha/token/", {
        headers: { Authorization: `Basic ${Buffer.from(`${stranger.username}:${stranger.password}`).toString("base64")}` },
        data: { jwt_token_description: "Not yours", jwt_token_life: "1 hour" },
      });
      const theirId = ((await theirs.json()) as { jwt_token_id: string }).jwt_token_id;
      for (const path of [`/tokens/${theirId}`, "/tokens/00000000-0000-4000-8000-000000000000", "/tokens/not-a-token"]) {
        await page.goto(path);
        await expect(page.getByRole("heading", { name: "Token not found" })).toBeVisible();
        await expect(page.getByRole("banner")).toBeVisible();
      }
      await expectAccessible(page, info, `token not found (${name})`);
      await shot(page, info, `74-${name}-not-found`);
      await page.getByRole("link", { name: "Back to your tokens" }).click();
      await expect(page).toHaveURL(/\/tokens$/);
      await page.goto("/no-such-page");
      await expect(page.getByRole("heading", { name: "Page not found" })).toBeVisible();
      await expect(page.getByRole("link", { name: "Back to your tokens" })).toBeVisible();
      await shot(page, info, `75-${name}-page-not-found`);
    });
  });
}
