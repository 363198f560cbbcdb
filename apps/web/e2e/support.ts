import { expect, type Page, type TestInfo } from "@playwright/test";

export const ADMIN = { username: "admin", password: "e2e-admin-password" };

/** Saves a numbered screenshot of the current step in this test's output folder. */
export async function shot(page: Page, info: TestInfo, name: string): Promise<void> {
  await page.screenshot({ path: info.outputPath(`${name}.png`), fullPage: true });
}

/** The sign-in page, once React has hydrated it (typing earlier would be lost). */
export async function openLogin(page: Page): Promise<void> {
  await page.goto("/login");
  await expect(page.locator("form[data-ready]")).toBeVisible();
}

export async function signIn(page: Page): Promise<void> {
  await openLogin(page);
  await page.getByLabel("Username").fill(ADMIN.username);
  await page.getByLabel("Password").fill(ADMIN.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/tokens$/);
  await expect(page.getByRole("heading", { name: "Tokens", exact: true })).toBeVisible();
  // Rendered only by the client after its first query: the page is hydrated and interactive.
  await expect(page.getByText(`Signed in as ${ADMIN.username}`)).toBeVisible();
}

/** Creates a token through the dialog and returns the plaintext shown once; leaves the reveal open. */
export async function createToken(page: Page, description: string, life: { preset: string } | { custom: string }) {
  await page.getByRole("button", { name: "New token" }).click();
  const dialog = page.getByRole("dialog");
  await dialog.getByLabel("Description").fill(description);
  if ("preset" in life) {
    await dialog.getByLabel("Lifetime", { exact: true }).selectOption(life.preset);
  } else {
    await dialog.getByLabel("Lifetime", { exact: true }).selectOption("custom");
    await dialog.getByLabel("Custom lifetime").fill(life.custom);
  }
  await dialog.getByRole("button", { name: "Create" }).click();
  const field = dialog.getByLabel("Your new token");
  await expect(field).toBeVisible();
  return { dialog, token: await field.inputValue() };
}

export function row(page: Page, description: string) {
  return page.getByRole("row").filter({ has: page.getByText(description, { exact: true }) });
}
