import { expect, test } from "@playwright/test";
import { adminAuth, createToken, createUser, expectAccessible, row, shot, signIn, signInAs, VIEWPORTS } from "./support";

test("after creating a token: a copyable curl line that works, and where to go to protect an API; endpoints say whose API they are", async ({ page, request }, info) => {
  const user = await createUser(request, "newcomer");
  await signInAs(page, user);
  await page.getByRole("button", { name: "New token" }).click();
  const form = page.getByRole("dialog");
  await form.getByLabel("Only these endpoints").check();
  await expect(form.getByText("Tokensmith's own API")).toBeVisible();
  await expect(form.getByLabel(/^Your API's endpoints \(checked by forward auth, introspection or @tokensmith\/verify\)/)).toBeVisible();
  await expectAccessible(page, info, "new token, endpoints");
  await form.getByLabel("All endpoints").check();
  await form.getByRole("button", { name: "Cancel" }).click();

  const { dialog, token } = await createToken(page, "First token", { preset: "1 day" });
  const command = await dialog.getByLabel("Try it").inputValue();
  expect(command).toBe(`curl -H "Authorization: Bearer ${token}" ${new URL(page.url()).origin}/v1alpha/token/self`);
  await dialog.getByRole("button", { name: "Copy command" }).click();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(command);
  // What the command asks, asked: the token describes itself.
  const [, header, url] = /^curl -H "([^"]+)" (\S+)$/.exec(command)!;
  const [headerName, headerValue] = header!.split(": ");
  const answer = await request.get(url!, { headers: { [headerName!]: headerValue! } });
  expect(answer.status()).toBe(200);
  expect(await answer.json()).toMatchObject({ message: "Token is valid", username: "newcomer" });
  await expect(dialog.getByRole("link", { name: "Protect your API" })).toHaveAttribute("href", "/docs#tag/verification");
  await expect(dialog.getByRole("link", { name: "API reference" })).toHaveAttribute("href", "/docs");
  await expectAccessible(page, info, "token created, how to use it");
  await shot(page, info, "190-created-try-it");
  await dialog.getByRole("button", { name: "Done" }).click();
  expect(await page.content()).not.toContain(token);
});

test("an endpoint-limited token's Try it asks forward auth about one of its own endpoints: /self would refuse it", async ({ page, request }, info) => {
  const user = await createUser(request, "orders-only");
  await signInAs(page, user);
  await page.getByRole("button", { name: "New token" }).click();
  const form = page.getByRole("dialog");
  await form.getByLabel("Description").fill("orders reader");
  await form.getByLabel("Only these endpoints").check();
  await form.getByLabel(/^Your API's endpoints/).fill("GET /api/orders/*");
  await form.getByRole("button", { name: "Create" }).click();
  const token = await form.getByLabel("Your new token").inputValue();
  const command = await form.getByLabel("Try it").inputValue();
  expect(command).not.toContain("/v1alpha/token/self");
  await expect(form.getByText("This token may call only its own endpoints, not Tokensmith's API.")).toBeVisible();
  // What the command sends, sent: its headers (the server's default set, nginx's) and its URL.
  const headers = Object.fromEntries([...command.matchAll(/-H (?:"([^"]+)"|'([^']+)')/g)].map((m) => (m[1] ?? m[2])!.split(/: (.*)/s).slice(0, 2)));
  expect(headers).toEqual({ Authorization: `Bearer ${token}`, "X-Original-Method": "GET", "X-Original-URI": "/api/orders/1" });
  const url = command.split(" ").at(-1)!;
  expect(url).toBe(`${new URL(page.url()).origin}/v1alpha/forward-auth`);
  expect((await request.get(url, { headers })).status()).toBe(200);
  // The line it replaces: refused for this token.
  expect((await request.get("/v1alpha/token/self", { headers: { Authorization: `Bearer ${token}` } })).status()).toBe(403);
  await expectAccessible(page, info, "endpoint-limited token created, how to check it");
  await form.getByRole("button", { name: "Done" }).click();
});

for (const [name, viewport] of Object.entries(VIEWPORTS)) {
  test(`a token's description can be edited from its page, and the change is in its activity (${name})`, async ({ page, request }, info) => {
    await page.setViewportSize(viewport);
    const user = await createUser(request, `editor-${name}`);
    await signInAs(page, user);
    const { dialog, token } = await createToken(page, "ci", { preset: "30 days" });
    await dialog.getByRole("button", { name: "Done" }).click();
    await row(page, "ci").getByRole("link", { name: /^ci/ }).click();
    await page.getByRole("button", { name: /^Edit description/ }).click();
    const edit = page.getByRole("dialog");
    await expect(edit.getByLabel("Description")).toHaveValue("ci");
    await edit.getByLabel("Description").fill("");
    await edit.getByRole("button", { name: "Save" }).click();
    await expect(edit.getByRole("alert")).toHaveText("Give the token a description.");
    await edit.getByLabel("Description").fill("bad\u0007name");
    await edit.getByRole("button", { name: "Save" }).click();
    await expect(edit.getByRole("alert")).toContainText("must not contain control characters");
    await expectAccessible(page, info, `edit description (${name})`);
    await edit.getByLabel("Description").fill("payments (prod)");
    await edit.getByRole("button", { name: "Save" }).click();
    await expect(page.getByRole("heading", { level: 1 })).toContainText("payments (prod)");
    await expect(page.getByRole("region", { name: "Events" })).toContainText("Description changed");
    await expect(page.getByRole("region", { name: "Events" })).toContainText("“ci” → “payments (prod)”");
    await shot(page, info, `191-${name}-edited`);
    // The token still works, and REST sees the new description.
    const rest = await request.get("/v1alpha/token/self", { headers: { Authorization: `Bearer ${token}` } });
    expect(rest.status()).toBe(200);
    await page.goto("/tokens?q=prod payments");
    await expect(row(page, "payments (prod)")).toHaveCount(1);
  });
}

test("Activity names who was affected: deleted users, password resets, an administrator's revokes", async ({ page, request }, info) => {
  const gone = await createUser(request, "gone-user");
  const reset = await createUser(request, "reset-user");
  const revokedOf = await createUser(request, "revoked-of");
  const made = await request.post("/v1alpha/token/", {
    headers: { Authorization: `Basic ${Buffer.from(`${revokedOf.username}:${revokedOf.password}`).toString("base64")}` },
    data: { jwt_token_description: "theirs", jwt_token_life: "1 day" },
  });
  const theirId = ((await made.json()) as { jwt_token_id: string }).jwt_token_id;
  await signIn(page);
  await page.goto("/users");
  await page.getByRole("button", { name: `Delete ${gone.username}` }).click();
  await page.getByRole("alertdialog").getByRole("button", { name: "Delete user" }).click();
  await expect(page.getByRole("link", { name: gone.username, exact: true })).toHaveCount(0);
  await page.getByRole("button", { name: `Reset password of ${reset.username}` }).click();
  await page.getByRole("dialog").getByLabel("New password").fill("a-new-password-1");
  await page.getByRole("dialog").getByRole("button", { name: "Set password" }).click();
  await expect(page.getByRole("dialog")).toBeHidden();
  const revoke = await request.post("/api/trpc/admin.revokeToken", { headers: adminAuth, data: { id: theirId } });
  expect(revoke.status()).toBe(200);

  await page.goto("/activity");
  await expect(page.getByRole("row").filter({ hasText: "User deleted: gone-user" })).toContainText("by admin");
  await expect(page.getByRole("row").filter({ hasText: "Password reset: reset-user" })).toContainText("by admin");
  await expect(page.getByRole("row").filter({ hasText: "Token revoked by an administrator: revoked-of's token" })).toContainText("by admin");
  await expectAccessible(page, info, "activity naming who was affected");
  await shot(page, info, "192-activity-affected");
});
