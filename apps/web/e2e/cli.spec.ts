import { expect, test } from "@playwright/test";
import { adminAuth, createToken, createUser, openLogin, row, shot, signInAs, tokensmithCli } from "./support";

/**
 * The admin CLI, run as an operator on the database host, against the same server the browser
 * uses: the id prefix the dashboard shows is enough to revoke a token, and a lost administrator's
 * password is reset without the old one.
 */
test("the CLI revokes a token by the 8 characters the dashboard shows, and says when it is already revoked", async ({ page, request }, info) => {
  const user = await createUser(request, "cli-prefix");
  await signInAs(page, user);
  const { dialog } = await createToken(page, "Prefixed token", { preset: "1 day" });
  await dialog.getByRole("button", { name: "Done" }).click();
  const shown = (await row(page, "Prefixed token").locator("code").first().textContent())!.trim();
  expect(shown).toMatch(/^[0-9a-f]{8}$/);

  const listed = tokensmithCli(["token", "list", "--user", user.username]);
  expect(listed.code).toBe(0);
  expect(listed.out).toMatch(new RegExp(`^${shown}[0-9a-f-]{28}\\s+cli-prefix\\s+valid\\s+\\S+\\s+-\\s+Prefixed token$`, "m"));
  const revoked = tokensmithCli(["token", "revoke", shown]);
  expect(revoked, revoked.err).toMatchObject({ code: 0, out: expect.stringMatching(new RegExp(`^Revoked token ${shown}.* \\(Prefixed token\\) of cli-prefix\\.\\n$`)) });
  expect(tokensmithCli(["token", "revoke", shown])).toMatchObject({ code: 1, err: expect.stringMatching(/was already revoked, at /) });

  await page.reload();
  await expect(row(page, "Prefixed token")).toHaveCount(0);
  await page.getByRole("button", { name: "Inactive", exact: true }).click();
  await expect(row(page, "Prefixed token").getByText("Revoked", { exact: true })).toBeVisible();
  expect(tokensmithCli(["token", "list", "--user", user.username, "--state", "revoked"]).out).toContain(shown);
  await shot(page, info, "180-revoked-by-cli");
});

test("a lost administrator's password: reset with the CLI on the database host, then signed in with the new one", async ({ page, request }, info) => {
  const made = await request.post("/api/trpc/user.create", { headers: adminAuth, data: { username: "lost-admin", password: "forgotten-password-1", isAdmin: true } });
  expect(made.status()).toBe(200);
  const reset = tokensmithCli(["user", "reset-password", "lost-admin"], "recovered-password-2\n");
  expect(reset, reset.err).toMatchObject({ code: 0, out: 'New password set for "lost-admin"; their dashboard sessions have ended (their tokens still work).\n' });

  await openLogin(page);
  await page.getByLabel("Username").fill("lost-admin");
  await page.getByLabel("Password").fill("forgotten-password-1");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.locator("form").getByRole("alert")).toHaveText("Invalid username or password");
  await signInAs(page, { username: "lost-admin", password: "recovered-password-2" });
  await expect(page.getByRole("link", { name: "Users" })).toBeVisible();
  await page.goto("/activity?action=user.password_reset");
  await expect(page.getByRole("row").filter({ hasText: "Password reset: lost-admin" })).toContainText("by cli");
  await shot(page, info, "181-recovered-admin");
});
