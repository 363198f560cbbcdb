import { expect, test } from "@playwright/test";
import { ADMIN, createToken, openLogin, row, shot, signIn } from "./support";

test.describe.configure({ mode: "serial" });

test("limit a token to chosen endpoints: listed, and refused elsewhere over REST", async ({ page, request }, info) => {
  await signIn(page);
  await page.getByRole("button", { name: "New token" }).click();
  const dialog = page.getByRole("dialog");
  await dialog.getByLabel("Description").fill("Reader token");
  await dialog.getByLabel("Lifetime", { exact: true }).selectOption("1 day");
  await dialog.getByLabel("Only these endpoints").check();
  await dialog.getByRole("button", { name: "Create" }).click();
  await expect(dialog.getByRole("alert")).toHaveText("Choose at least one endpoint, or allow all.");
  await dialog.getByLabel(/Read tokens/).check();
  await dialog.getByLabel(/^Your API.s endpoints/).fill("banana");
  await dialog.getByRole("button", { name: "Create" }).click();
  await expect(dialog.getByRole("alert")).toContainText('"banana" is not "METHOD /path"');
  await dialog.getByLabel(/^Your API.s endpoints/).fill("get /api/orders/*");
  await shot(page, info, "20-endpoints-picker");
  await dialog.getByRole("button", { name: "Create" }).click();
  const token = await dialog.getByLabel("Your new token").inputValue();
  await dialog.getByRole("button", { name: "Done" }).click();

  const reader = row(page, "Reader token");
  await expect(reader.getByText("GET /v1alpha/token/*")).toBeVisible();
  // One line per row: the first pattern, and how many more (all of them on the token's page).
  await expect(reader.getByText("+1 more")).toBeVisible();
  // A fresh 1-day token is not "soon": only its last tenth (2.4 hours) is.
  await expect(reader.getByText("Valid", { exact: true })).toBeVisible();
  await expect(reader.getByText("Expires soon")).toHaveCount(0);
  await shot(page, info, "21-limited-token-listed");

  const auth = { Authorization: `Bearer ${token}` };
  expect((await request.get("/v1alpha/token/", { headers: auth })).status()).toBe(200);
  const denied = await request.post("/v1alpha/token/", { headers: auth, data: { jwt_token_description: "x", jwt_token_life: "1 hour" } });
  expect(denied.status()).toBe(403);
  expect(denied.headers()["www-authenticate"]).toContain('error="insufficient_scope"');
});

test("limit how often and from where: errors named in the dialog, limits shown on the token's page and enforced over REST", async ({ page, request }, info) => {
  await signIn(page);
  await page.getByRole("button", { name: "New token" }).click();
  const dialog = page.getByRole("dialog");
  await dialog.getByLabel("Description").fill("Limited token");
  await dialog.getByLabel("Limit how often it may be used").check();
  await dialog.getByLabel("At most").fill("2");
  await dialog.getByLabel("Window").selectOption("1 minute");
  await dialog.getByLabel("Allowed addresses").fill("203.0.113.5/24");
  await dialog.getByRole("button", { name: "Create" }).click();
  await expect(dialog.getByRole("alert")).toContainText("did you mean 203.0.113.0/24?");
  // The tests call from 127.0.0.1: one address that lets them in, and a range that does not.
  await dialog.getByLabel("Allowed addresses").fill("127.0.0.1\n2001:DB8::/32");
  await dialog.getByLabel("Audience").fill("https://api.example.com\nurn:example:billing");
  await shot(page, info, "23-limits");
  await dialog.getByRole("button", { name: "Create" }).click();
  const token = await dialog.getByLabel("Your new token").inputValue();
  await dialog.getByRole("button", { name: "Done" }).click();

  await row(page, "Limited token").getByRole("link", { name: "Limited token" }).first().click();
  await expect(page.getByText("2 requests per minute")).toBeVisible();
  await expect(page.getByText("127.0.0.1", { exact: true })).toBeVisible();
  await expect(page.getByText("2001:db8::/32", { exact: true })).toBeVisible();
  await expect(page.getByText("urn:example:billing", { exact: true })).toBeVisible();
  expect(JSON.parse(Buffer.from(token.split(".")[1]!, "base64url").toString()).aud).toEqual(["https://api.example.com", "urn:example:billing"]);

  const auth = { Authorization: `Bearer ${token}` };
  const first = await request.get("/v1alpha/token/", { headers: auth });
  expect(first.status()).toBe(200);
  expect(first.headers()["ratelimit-policy"]).toBe('"token";q=2;w=60');
  expect((await request.get("/v1alpha/token/", { headers: auth })).status()).toBe(200);
  const third = await request.get("/v1alpha/token/", { headers: auth });
  expect(third.status()).toBe(429);
  expect(Number(third.headers()["retry-after"])).toBeGreaterThan(0);
});

test("limit how many uses: a bad number named in the dialog, uses left shown in the list and on the token's page", async ({ page, request }, info) => {
  await signIn(page);
  await page.getByRole("button", { name: "New token" }).click();
  const dialog = page.getByRole("dialog");
  await dialog.getByLabel("Description").fill("Counted token");
  await dialog.getByLabel("Uses", { exact: true }).fill("1.5");
  await dialog.getByRole("button", { name: "Create" }).click();
  await expect(dialog.getByRole("alert")).toHaveText("Uses must be a whole number from 1 to 1,000,000.");
  await dialog.getByLabel("Uses", { exact: true }).fill("2");
  await dialog.getByRole("button", { name: "Create" }).click();
  const token = await dialog.getByLabel("Your new token").inputValue();
  await dialog.getByRole("button", { name: "Done" }).click();
  await expect(row(page, "Counted token").getByText("2 of 2 uses left")).toBeVisible();

  const auth = { Authorization: `Bearer ${token}` };
  for (const status of [200, 200, 401]) expect((await request.get("/v1alpha/token/self", { headers: auth })).status()).toBe(status);
  await page.reload();
  await expect(row(page, "Counted token").getByText("0 of 2 uses left")).toBeVisible();
  await shot(page, info, "24-uses-left");
  await row(page, "Counted token").getByRole("link", { name: "Counted token" }).first().click();
  await expect(page.getByText("0 of 2", { exact: true })).toBeVisible();
});

test("rotate from the dashboard: the new token is shown once, the old one is refused", async ({ page, request }, info) => {
  await signIn(page);
  const { dialog, token: old } = await createToken(page, "Rotating token", { preset: "30 days" });
  await dialog.getByRole("button", { name: "Done" }).click();
  await row(page, "Rotating token").getByRole("button", { name: "Rotate" }).click();
  const rotate = page.getByRole("dialog");
  await expect(rotate.getByRole("heading", { name: "Rotate this token?" })).toBeVisible();
  await rotate.getByLabel("Stop it now").check();
  await rotate.getByRole("button", { name: "Rotate token" }).click();
  const fresh = await rotate.getByLabel("Your new token").inputValue();
  expect(fresh).not.toBe(old);
  await shot(page, info, "22-rotated");
  await rotate.getByRole("button", { name: "Done" }).click();
  await expect(page).toHaveURL(/\/tokens\/[0-9a-f-]{36}$/);
  await page.goto("/tokens");
  await expect(row(page, "Rotating token")).toHaveCount(1);
  expect((await request.get("/v1alpha/token/", { headers: { Authorization: `Bearer ${fresh}` } })).status()).toBe(200);
  expect((await request.get("/v1alpha/token/", { headers: { Authorization: `Bearer ${old}` } })).status()).toBe(401);
});

test("the Activity page lists what happened, newest first", async ({ page, browser }, info) => {
  // A failed sign-in from elsewhere first (a page of its own, signed out). Another name than the
  // earlier tests' failures: repeats of one (name, address) within a minute are audited as one row
  // when the minute ends, the first at once.
  const elsewhere = await browser.newPage();
  await openLogin(elsewhere);
  await elsewhere.getByLabel("Username").fill("intruder");
  await elsewhere.getByLabel("Password").fill("not-the-password");
  await elsewhere.getByRole("button", { name: "Sign in" }).click();
  await expect(elsewhere.locator("form").getByRole("alert")).toHaveText("Invalid username or password");
  await elsewhere.close();
  await signIn(page);
  await page.getByRole("link", { name: "Activity" }).click();
  await expect(page.getByRole("heading", { name: "Activity" })).toBeVisible();
  const rows = page.getByRole("row");
  // Newest first: this test's own sign-in, the failure before it, then the reuse of the
  // rotated-away token in the test before.
  await expect(rows.nth(1)).toContainText("Signed in");
  await expect(rows.nth(2)).toContainText("Sign-in failed");
  await expect(rows.nth(3)).toContainText("Reuse detected: family revoked");
  await expect(page.getByRole("cell", { name: "Token rotated" })).toBeVisible();
  await expect(page.getByRole("cell", { name: "Signed in" }).first()).toBeVisible();
  await shot(page, info, "23-activity");
});

test("administrators manage users; a user sees only their own tokens", async ({ page, browser, request }, info) => {
  await signIn(page);
  await page.getByRole("link", { name: "Users" }).click();
  await page.getByRole("button", { name: "New user" }).click();
  const dialog = page.getByRole("dialog");
  await dialog.getByLabel("Username").fill("erin");
  await dialog.getByLabel("Password").fill("short");
  await dialog.getByRole("button", { name: "Create user" }).click();
  await expect(dialog.getByRole("alert")).toContainText("password: must be at least 8 characters");
  await dialog.getByLabel("Password").fill("erin-password-1");
  await dialog.getByRole("button", { name: "Create user" }).click();
  await expect(page.getByRole("cell", { name: "erin", exact: true })).toBeVisible();
  await shot(page, info, "24-users");

  const erinContext = await browser.newContext();
  const erin = await erinContext.newPage();
  await openLogin(erin);
  await erin.getByLabel("Username").fill("erin");
  await erin.getByLabel("Password").fill("erin-password-1");
  await erin.getByRole("button", { name: "Sign in" }).click();
  await expect(erin.getByText("No active tokens")).toBeVisible();
  await expect(erin.getByRole("link", { name: "Users" })).toHaveCount(0);
  await erin.goto("/users");
  await expect(erin.getByText("Only administrators can manage users.")).toBeVisible();
  await shot(erin, info, "25-user-not-admin");

  // Introspection of every user's tokens: granted and taken back on this page, in force at once.
  const basic = (name: string, password: string) => `Basic ${Buffer.from(`${name}:${password}`).toString("base64")}`;
  const adminToken = (await (await request.post("/v1alpha/token/", { headers: { Authorization: basic(ADMIN.username, ADMIN.password) }, data: { jwt_token_description: "asked about", jwt_token_life: "1 hour" } })).json()) as { jwt_token: string };
  const erinAsks = async () =>
    ((await (await request.post("/v1alpha/introspect", { headers: { Authorization: basic("erin", "erin-password-1") }, form: { token: adminToken.jwt_token } })).json()) as { active: boolean }).active;
  expect(await erinAsks()).toBe(false);
  const erinRow = page.getByRole("row").filter({ has: page.getByRole("cell", { name: "erin", exact: true }) });
  await expect(erinRow).toContainText("Own tokens");
  await page.getByRole("button", { name: "Allow any: let erin introspect every user's tokens" }).click();
  await page.getByRole("alertdialog").getByRole("button", { name: "Allow any token" }).click();
  await expect(erinRow).toContainText("Any token");
  expect(await erinAsks()).toBe(true);
  await shot(page, info, "26-users-introspection");
  await page.getByRole("button", { name: "Own only: let erin introspect its own tokens only" }).click();
  await page.getByRole("alertdialog").getByRole("button", { name: "Own tokens only" }).click();
  await expect(erinRow).toContainText("Own tokens");
  expect(await erinAsks()).toBe(false);

  await page.getByRole("button", { name: "Delete erin" }).click();
  await page.getByRole("alertdialog").getByRole("button", { name: "Delete user" }).click();
  await expect(page.getByRole("cell", { name: "erin", exact: true })).toHaveCount(0);
  await expect(page.getByRole("heading", { name: "Users" })).toBeFocused();
  await erin.goto("/tokens");
  await expect(erin).toHaveURL(/\/login$/);
  await erinContext.close();
});
