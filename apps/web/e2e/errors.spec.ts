import { expect, test, type Page } from "@playwright/test";
import { ADMIN, createUser, openLogin, shot, signIn, signInAs, VIEWPORTS } from "./support";

/** Every call of one tRPC procedure fails the way a dead network or a proxy's error page would. */
async function breakProcedure(page: Page, procedure: string, how: "network" | "html") {
  await page.route(`**/api/trpc/**${procedure}**`, (route) =>
    how === "network"
      ? route.abort("connectionrefused")
      : route.fulfill({ status: 502, contentType: "text/html", body: "<html><body><h1>502 Bad Gateway</h1></body></html>" }),
  );
}

const UNREACHABLE = "Tokensmith could not be reached. Check your connection, then try again.";
const UNREADABLE = /could not read/;

for (const [name, viewport] of Object.entries(VIEWPORTS)) {
  test.describe(`errors, ${name}`, () => {
    test.use({ viewport });

    test(`failed requests say what happened, offer Retry, and do not linger (${name})`, async ({ page, request }, info) => {
      const user = await createUser(request, `errors-${name}`);
      await signInAs(page, user);

      // Tokens: the network is down. The message comes quickly (one short retry), then Retry works.
      await breakProcedure(page, "token.search", "network");
      const started = Date.now();
      await page.reload();
      const alert = page.getByRole("alert").filter({ hasText: "Could not load your tokens." });
      await expect(alert).toContainText(UNREACHABLE);
      const waited = Date.now() - started;
      console.log(`[errors ${name}] reload → error shown: ${waited} ms`);
      expect(waited).toBeLessThan(5_000);
      await shot(page, info, `80-${name}-tokens-unreachable`);
      await page.unroute("**/api/trpc/**token.search**");
      await alert.getByRole("button", { name: "Retry" }).click();
      await expect(page.getByText("No active tokens")).toBeVisible();

      // A proxy's HTML error page instead of an answer: no "Unexpected token '<'" for a person.
      await breakProcedure(page, "audit.list", "html");
      await page.goto("/activity");
      const activityAlert = page.getByRole("alert").filter({ hasText: "Could not load activity." });
      await expect(activityAlert).toContainText(UNREADABLE);
      await expect(page.getByText("Unexpected token")).toHaveCount(0);
      await shot(page, info, `81-${name}-activity-unreadable`);
      await page.unroute("**/api/trpc/**audit.list**");
      await activityAlert.getByRole("button", { name: "Retry" }).click();
      await expect(page.getByRole("row").nth(1)).toBeVisible();

      // Loading shows a skeleton, not a blank page, and it goes once the answer is there.
      await page.route("**/api/trpc/**token.search**", async (route) => {
        await new Promise((resolve) => setTimeout(resolve, 800));
        await route.continue();
      });
      await page.goto("/tokens");
      await expect(page.getByRole("status").filter({ hasText: "Loading tokens…" })).toBeAttached();
      await shot(page, info, `82-${name}-skeleton`);
      await expect(page.getByText("No active tokens")).toBeVisible();
      await expect(page.getByRole("status").filter({ hasText: "Loading tokens…" })).toHaveCount(0);
    });

    test(`the navigation keeps an administrator's links when auth.me fails (${name})`, async ({ page }, info) => {
      await signIn(page);
      await breakProcedure(page, "auth.me", "network");
      await page.goto("/users");
      if (name === "narrow") await page.getByRole("button", { name: "Menu", exact: true }).click();
      const nav = page.getByRole("navigation", { name: "Main" });
      await expect(nav.getByRole("link", { name: "Users" })).toBeVisible();
      await expect(nav.getByRole("link", { name: "Signing keys" })).toBeVisible();
      if (name !== "narrow") await page.getByRole("button", { name: `Account: ${ADMIN.username}` }).click();
      await expect(page.getByText(`Signed in as ${ADMIN.username}`).filter({ visible: true })).toBeVisible();
      await shot(page, info, `83-${name}-nav-without-me`);
      await page.unroute("**/api/trpc/**auth.me**");

      // Users: the list itself failing is said in words, with Retry.
      await breakProcedure(page, "user.list", "network");
      await page.reload();
      const usersAlert = page.getByRole("alert").filter({ hasText: "Could not load users." });
      await expect(usersAlert).toContainText(UNREACHABLE);
      await page.unroute("**/api/trpc/**user.list**");
      await usersAlert.getByRole("button", { name: "Retry" }).click();
      await expect(page.getByRole("cell", { name: "admin", exact: true })).toBeVisible();
    });
  });
}

test("sign-in: a network failure is a sentence with Retry, not 'Failed to fetch'", async ({ page }, info) => {
  await openLogin(page);
  await breakProcedure(page, "auth.login", "network");
  await page.getByLabel("Username").fill(ADMIN.username);
  await page.getByLabel("Password").fill(ADMIN.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  const alert = page.locator("form").getByRole("alert");
  await expect(alert).toContainText(UNREACHABLE);
  await expect(alert).not.toContainText("Failed to fetch");
  await shot(page, info, "84-sign-in-unreachable");
  await page.unroute("**/api/trpc/**auth.login**");
  await alert.getByRole("button", { name: "Retry" }).click();
  await expect(page).toHaveURL(/\/tokens$/);
});
