import { expect, test } from "@playwright/test";
import { ADMIN, shot, signIn } from "./support";
import { WebhookReceiver } from "../test/support/webhook-receiver";

/** A real receiver in the test: the secret the dashboard shows once verifies what it receives. */
const receiver = new WebhookReceiver();
test.beforeAll(async () => {
  await receiver.start();
});
test.afterAll(async () => {
  await receiver.stop();
});

test("webhooks: create one, keep its secret, send a test event, watch deliveries, delete it", async ({ page, request }, info) => {
  await signIn(page);
  await page.getByRole("link", { name: "Webhooks" }).click();
  await expect(page.getByRole("heading", { name: "Webhooks", exact: true })).toBeVisible();

  await page.getByRole("button", { name: "New webhook" }).click();
  const dialog = page.getByRole("dialog");
  await dialog.getByLabel("Endpoint URL").fill(receiver.url("/e2e"));
  await dialog.getByLabel("Token rotated").check();
  await shot(page, info, "60-new-webhook");
  await dialog.getByRole("button", { name: "Create webhook" }).click();
  const secretField = dialog.getByLabel("Signing secret");
  await expect(secretField).toHaveValue(/^whsec_/);
  receiver.secret = await secretField.inputValue();
  await dialog.getByRole("button", { name: "Copy" }).click();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(receiver.secret);
  await shot(page, info, "61-webhook-secret");
  await dialog.getByRole("button", { name: "Done" }).click();
  await expect(dialog).toBeHidden();
  // Shown once: nowhere on the page now.
  await expect(page.getByText(receiver.secret)).toHaveCount(0);

  const row = page.getByRole("row").filter({ hasText: receiver.url("/e2e") });
  await row.getByRole("button", { name: /Send test event/ }).click();
  const sent = await receiver.waitFor((r) => r.type === "webhook.test");
  expect(sent.verified).toBe(true);
  const log = page.getByRole("region", { name: /Deliveries to/ });
  await expect(log.getByRole("row").filter({ hasText: "webhook.test" })).toContainText("delivered");

  // A token created over REST: its event arrives, signed, and shows up in the log.
  const auth = `Basic ${Buffer.from(`${ADMIN.username}:${ADMIN.password}`).toString("base64")}`;
  const created = await request.post("/v1alpha/token/", { headers: { authorization: auth }, data: { jwt_token_description: "e2e webhook", jwt_token_life: "1 hour" } });
  expect(created.status()).toBe(201);
  const tokenId = (await created.json()).jwt_token_id;
  expect((await receiver.waitFor((r) => r.type === "token.created" && r.json.data.token_id === tokenId)).verified).toBe(true);
  await expect(log.getByRole("row").filter({ hasText: "token.created" })).toContainText("delivered");
  await shot(page, info, "62-webhook-deliveries");

  await row.getByRole("button", { name: /^Delete / }).click();
  await page.getByRole("alertdialog").getByRole("button", { name: "Delete webhook" }).click();
  // Other specs leave webhooks of their own on this server: this one's row is what must go.
  await expect(row).toHaveCount(0);
});
