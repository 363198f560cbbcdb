import { expect, test, type Page } from "@playwright/test";
import { ADMIN, createUser, expectAccessible, expectAccessibleEverywhere, shot, signIn, signInAs } from "./support";

// A dozen sign-ins and axe runs at three looks: more than 60 s on a loaded machine.
test.describe.configure({ timeout: 150_000 });

/** Signs out (the session cookie goes) and in as someone else. */
async function switchTo(page: Page, user: { username: string; password: string }) {
  await page.context().clearCookies();
  await signInAs(page, user);
}

const accountRow = (page: Page, name: string) => page.getByRole("row").filter({ has: page.getByText(name, { exact: true }) });

test("an administrator creates a service account and names a manager, who issues its token; deleting it revokes the token", async ({ page, request }, info) => {
  const manager = await createUser(request, "svc-manager-e2e");
  const bystander = await createUser(request, "svc-bystander-e2e");
  const name = "ci-deployer-e2e";

  await signIn(page);
  await page.getByRole("link", { name: "Service accounts" }).first().click();
  await expect(page.getByRole("heading", { name: "Service accounts" })).toBeVisible();
  await page.getByRole("button", { name: "New service account" }).click();
  let dialog = page.getByRole("dialog");
  await dialog.getByLabel("Name").fill(name);
  await dialog.getByLabel("Description").fill("Deploys from CI");
  await expectAccessible(page, info, "New service account dialog");
  await dialog.getByRole("button", { name: "Create service account" }).click();
  await expect(dialog).toBeHidden();
  const row = accountRow(page, name);
  await expect(row).toContainText("Deploys from CI");
  await expect(row).toContainText("Service");
  await expect(row.getByRole("cell").nth(2)).toHaveText("None");

  // The managers dialog: a service account cannot manage one; the person can.
  await row.getByRole("button", { name: `Managers of ${name}` }).click();
  dialog = page.getByRole("dialog");
  await dialog.getByLabel("Add a manager").fill(name);
  await dialog.getByRole("button", { name: "Add manager" }).click();
  await expect(dialog.getByRole("alert")).toContainText("a service account cannot manage one");
  await dialog.getByLabel("Add a manager").fill(manager.username);
  await dialog.getByRole("button", { name: "Add manager" }).click();
  await expect(dialog.getByRole("list", { name: "Managers" })).toContainText(manager.username);
  await dialog.getByLabel("Add a manager").fill(bystander.username);
  await dialog.getByRole("button", { name: "Add manager" }).click();
  await expect(dialog.getByRole("list", { name: "Managers" })).toContainText(bystander.username);
  await expectAccessible(page, info, "Managers dialog");
  // An ex-manager: taken off again, they see nothing of the account.
  await dialog.getByRole("button", { name: `Remove ${bystander.username}` }).click();
  await expect(dialog.getByRole("list", { name: "Managers" })).not.toContainText(bystander.username);
  await dialog.getByRole("button", { name: "Done" }).click();
  await expect(row.getByRole("cell").nth(2)).toHaveText(manager.username);
  await expectAccessibleEverywhere(page, info, "/service-accounts as an administrator");
  await shot(page, info, "160-service-accounts");

  // The manager (not an administrator) finds it in the navigation and issues a token for it.
  await switchTo(page, manager);
  await page.getByRole("link", { name: "Service accounts" }).first().click();
  await expect(page.getByRole("button", { name: "New service account" })).toHaveCount(0);
  await expect(accountRow(page, name).getByRole("button", { name: `Managers of ${name}` })).toHaveCount(0);
  await accountRow(page, name).getByRole("button", { name: `Issue token for ${name}` }).click();
  dialog = page.getByRole("dialog");
  await expect(dialog.getByRole("heading", { name: `New token for ${name}` })).toBeVisible();
  await dialog.getByLabel("Description").fill("deploy pipeline");
  await dialog.getByRole("button", { name: "Create" }).click();
  const field = dialog.getByLabel("Your new token");
  await expect(field).toBeVisible();
  const jwt = await field.inputValue();
  expect(jwt.split(".")).toHaveLength(3);
  await dialog.getByRole("button", { name: "Done" }).click();
  await expect(accountRow(page, name).getByRole("cell").nth(3)).toHaveText("1");
  await expectAccessibleEverywhere(page, info, "/service-accounts as a manager");
  const self = await request.get("/v1alpha/token/self", { headers: { Authorization: `Bearer ${jwt}` } });
  expect(self.status(), await self.text()).toBe(200);

  // The ex-manager has no such page entry, and the account is not theirs to see.
  await switchTo(page, bystander);
  await expect(page.getByRole("link", { name: "Service accounts" })).toHaveCount(0);
  await page.goto("/service-accounts");
  await expect(page.getByText("You manage no service accounts.")).toBeVisible();

  // The administrator's token list sets the account apart; delete says what it ends.
  await switchTo(page, ADMIN);
  await page.getByLabel("Whose").selectOption("*");
  await page.getByLabel("Search").fill("deploy pipeline");
  await expect(page.locator("[data-token-id]")).toHaveCount(1);
  await expect(page.locator("[data-token-id]")).toContainText("Service");
  await page.goto("/service-accounts");
  await accountRow(page, name).getByRole("button", { name: `Delete ${name}` }).click();
  const confirm = page.getByRole("alertdialog");
  await expect(confirm).toContainText("its 1 live token is revoked");
  await expectAccessible(page, info, "Delete service account confirmation");
  await confirm.getByRole("button", { name: "Delete service account" }).click();
  await expect(accountRow(page, name)).toHaveCount(0);
  expect((await request.get("/v1alpha/token/self", { headers: { Authorization: `Bearer ${jwt}` } })).status()).toBe(401);
});
