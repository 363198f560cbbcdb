import { expect, test } from "@playwright/test";
import { ADMIN, createTokenAs, createUser, expectAccessible, expectAccessibleEverywhere, row, shot, signIn, signInAs } from "./support";

const admin = { Authorization: `Basic ${Buffer.from(`${ADMIN.username}:${ADMIN.password}`).toString("base64")}` };

// Sign-ins, a policy page and axe at three looks: more than 60 s on a loaded machine.
test.describe.configure({ timeout: 150_000 });

test("the New token dialog shows the token policy in force before the user hits it, and the refusal names it", async ({ page, request }, info) => {
  const user = await createUser(request, "policy-e2e");
  // This user's own policy only: other tests running against the same server are not touched.
  const set = await request.post("/api/trpc/policy.set", { headers: admin, data: { account: user.username, maxLife: "7 days", requireEndpoints: false } });
  expect(set.status(), await set.text()).toBe(200);
  await signInAs(page, user);
  await page.getByRole("button", { name: "New token" }).click();
  const dialog = page.getByRole("dialog");
  await expect(dialog.getByTestId("token-policy").getByRole("listitem")).toHaveText([`The token policy of "${user.username}" allows a lifetime of at most 7 days.`]);
  // The presets longer than the policy allows cannot be chosen; a custom one reaches the server's rule.
  const life = dialog.getByLabel("Lifetime", { exact: true });
  await expect(life.locator("option", { hasText: "30 days" })).toBeDisabled();
  await expect(life.locator("option", { hasText: "7 days" })).toBeEnabled();
  await dialog.getByLabel("Description").fill("Too long");
  await life.selectOption("custom");
  await expect(dialog.getByText(`The token policy of "${user.username}" allows a lifetime of at most 7 days.`).last()).toBeVisible();
  await dialog.getByLabel("Custom lifetime").fill("30 days");
  await dialog.getByRole("button", { name: "Create" }).click();
  await expect(dialog.getByText(`the token policy of "${user.username}" allows a lifetime of at most 7 days (this one: 30 days)`)).toBeVisible();
  await shot(page, info, "120-policy-in-dialog");
});

test("an administrator sets a policy on the Policies page, sees the tokens that break it and revokes them", async ({ page, request }, info) => {
  const user = await createUser(request, "policy-page-e2e");
  const long = [
    await createTokenAs(request, user, "policy long one", "30 days"),
    await createTokenAs(request, user, "policy long two", "30 days"),
    await createTokenAs(request, user, "policy long three", "30 days"),
  ];
  const short = await createTokenAs(request, user, "policy short", "1 day");

  await signIn(page);
  await page.getByRole("link", { name: "Policies" }).first().click();
  await expect(page.getByRole("heading", { name: "Token policies" })).toBeVisible();
  // One account's policy (the server-wide one would reach other specs' users).
  await page.getByLabel("Account", { exact: true }).selectOption(user.username);
  await page.getByRole("button", { name: "Show policy" }).click();
  const form = page.getByRole("form", { name: `Policy of ${user.username}` });
  await form.getByLabel("Longest lifetime").fill("7 days");
  await form.getByLabel("Rotation overlap").selectOption("no");
  await form.getByRole("button", { name: `Save policy of ${user.username}` }).click();
  await expect(page.getByText(`Policy of ${user.username} saved`)).toBeVisible();
  const stored = await request.get(`/api/trpc/policy.get?input=${encodeURIComponent(JSON.stringify({ account: user.username }))}`, { headers: admin });
  expect(((await stored.json()) as { result: { data: { maxLifeSeconds: number } } }).result.data.maxLifeSeconds).toBe(7 * 86400);

  // The three 30-day tokens break it, each with the policy's name; the 1-day one does not.
  const violations = page.getByRole("region", { name: "Tokens that break a policy" });
  const breaking = (description: string) => violations.getByRole("row").filter({ hasText: description });
  for (const description of ["policy long one", "policy long two", "policy long three"]) {
    await expect(breaking(description)).toContainText(`the token policy of "${user.username}" allows a lifetime of at most 7 days (this one: 30 days)`);
  }
  await expect(breaking("policy short")).toHaveCount(0);
  await expectAccessibleEverywhere(page, info, "/policies");
  await shot(page, info, "170-policies");

  // One revoked from its row, two together from a selection: each stops over REST.
  await breaking("policy long one").getByRole("button", { name: /^Revoke policy long one/ }).click();
  await page.getByRole("alertdialog").getByRole("button", { name: "Revoke token" }).click();
  await expect(breaking("policy long one")).toHaveCount(0);
  await breaking("policy long two").getByRole("checkbox").check();
  await breaking("policy long three").getByRole("checkbox").check();
  await page.getByRole("button", { name: "Revoke 2 selected tokens" }).click();
  await expectAccessible(page, info, "bulk revoke of breaking tokens");
  await page.getByRole("alertdialog").getByRole("button", { name: "Revoke 2 tokens" }).click();
  await expect(breaking("policy long two")).toHaveCount(0);
  await expect(breaking("policy long three")).toHaveCount(0);
  for (const token of long) expect((await request.get("/v1alpha/token/self", { headers: { Authorization: `Bearer ${token.token}` } })).status()).toBe(401);
  expect((await request.get("/v1alpha/token/self", { headers: { Authorization: `Bearer ${short.token}` } })).status()).toBe(200);

  // The user meets the policy before hitting it: in the New token dialog and the rotate dialog.
  await page.context().clearCookies();
  await signInAs(page, user);
  await page.getByRole("button", { name: "New token" }).click();
  const dialog = page.getByRole("dialog");
  await expect(dialog.getByTestId("token-policy").getByRole("listitem")).toHaveText([
    `The token policy of "${user.username}" allows a lifetime of at most 7 days.`,
    `The token policy of "${user.username}" allows no rotation overlap: the old token must stop at once.`,
  ]);
  await expect(dialog.getByLabel("Lifetime", { exact: true })).toHaveValue("1 day");
  await dialog.getByRole("button", { name: "Cancel" }).click();
  await row(page, "policy short").getByRole("button", { name: /^Rotate/ }).click();
  const rotate = page.getByRole("dialog");
  await expect(rotate.getByTestId("rotation-policy")).toBeVisible();
  await expect(rotate.getByLabel("Keep it working for 10 minutes")).toBeDisabled();
  await expect(rotate.getByLabel("Stop it now")).toBeChecked();
  await expectAccessible(page, info, "Rotate under a no-overlap policy");
});

test("every rule of a policy is shown, named, in the New token dialog before submit; the server refuses the same token sent around the dialog", async ({ page, request }, info) => {
  const user = await createUser(request, "policy-all-e2e");
  const set = await request.post("/api/trpc/policy.set", {
    headers: admin,
    data: { account: user.username, maxLife: "7 days", requireEndpoints: true, requireAllowedIps: true, maxRateLimit: { requests: 10, per: "1 minute" }, allowRotationOverlap: false },
  });
  expect(set.status(), await set.text()).toBe(200);
  const policy = `The token policy of "${user.username}"`;
  await signInAs(page, user);
  await page.getByRole("button", { name: "New token" }).click();
  const dialog = page.getByRole("dialog");
  // Each rule, naming the policy it comes from, before anything is typed.
  await expect(dialog.getByTestId("token-policy").getByRole("listitem")).toHaveText([
    `${policy} allows a lifetime of at most 7 days.`,
    `${policy} requires a token to name its endpoints.`,
    `${policy} requires an IP allowlist.`,
    `${policy} requires a rate limit no looser than 10 requests per 1 minute.`,
    `${policy} allows no rotation overlap: the old token must stop at once.`,
  ]);
  // The fields it judges: disabled where a choice would break it, marked where something is required.
  const life = dialog.getByLabel("Lifetime", { exact: true });
  await expect(life.locator("option", { hasText: "30 days" })).toBeDisabled();
  await expect(life).toHaveValue("1 day");
  await expect(dialog.getByLabel("All endpoints")).toBeDisabled();
  await expect(dialog.getByLabel("Only these endpoints")).toBeChecked();
  await expect(dialog.getByTestId("policy-endpoints")).toHaveText(`${policy} requires a token to name its endpoints.`);
  await expect(dialog.getByLabel("Limit how often it may be used")).toBeChecked();
  await expect(dialog.getByLabel("Limit how often it may be used")).toBeDisabled();
  await expect(dialog.getByLabel("At most")).toHaveValue("10");
  await expect(dialog.getByLabel("Window")).toHaveValue("1 minute");
  await expect(dialog.getByText(`${policy} requires a rate limit no looser than 10 requests per 1 minute.`).last()).toBeVisible();
  await expect(dialog.getByText(`${policy} requires an IP allowlist. IPv4 or IPv6`)).toBeVisible();
  await shot(page, info, "121-every-policy-rule-in-dialog");
  await expectAccessible(page, info, "New token under every policy rule");

  // A draft that breaks a rule is named at its field, in the server's words, without a request.
  await dialog.getByLabel("Description").fill("Policy draft");
  await dialog.getByLabel("Your API's endpoints").fill("GET /api/orders/*");
  await dialog.getByLabel("At most").fill("50");
  let creates = 0;
  page.on("request", (r) => void (r.url().includes("token.create") && creates++));
  await dialog.getByRole("button", { name: "Create" }).click();
  const named = `the token policy of "${user.username}"`;
  await expect(dialog.getByRole("alert").filter({ hasText: `${named} requires an IP allowlist` })).toHaveText(`${named} requires an IP allowlist`);
  await expect(dialog.getByRole("alert").filter({ hasText: "no looser" })).toHaveText(`${named} requires a rate limit no looser than 10 requests per 1 minute (this one: 50 requests per 1 minute)`);
  expect(creates).toBe(0);
  // Kept: the token is made.
  await dialog.getByLabel("At most").fill("10");
  await dialog.getByLabel("Allowed addresses").fill("203.0.113.0/24");
  await dialog.getByRole("button", { name: "Create" }).click();
  await expect(page.getByRole("dialog").getByText("Token created")).toBeVisible();

  // Around the dialog, over REST with the user's password: the server refuses each rule, naming it.
  const basic = { Authorization: `Basic ${Buffer.from(`${user.username}:${user.password}`).toString("base64")}` };
  const bypass = await request.post("/v1alpha/token/", { headers: basic, data: { jwt_token_description: "around the dialog", jwt_token_life: "30 days" } });
  expect(bypass.status()).toBe(400);
  const refusal = await bypass.text();
  for (const rule of ["allows a lifetime of at most 7 days (this one: 30 days)", "requires a token to name its endpoints", "requires an IP allowlist", "requires a rate limit no looser than 10 requests per 1 minute"]) {
    expect(refusal).toContain(`the token policy of \\"${user.username}\\" ${rule}`);
  }
});
