import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { expect, test, type Browser } from "@playwright/test";
import { startServer, type RunningServer } from "@tokensmith/testkit";
import { expectAccessible, expectNoPageOverflow, shot, signIn, VIEWPORTS } from "./support";

/**
 * A server of this spec's own, with the webhook settings the points need: retries that give up
 * after two seconds (a failed delivery to redeliver), or WEBHOOK_ALLOW_PRIVATE off (a refusal by
 * policy to read). The browser signs in to it as the admin.
 */
// Each test starts its own server, whose first page is rendered cold, and runs axe six times.
test.describe.configure({ timeout: 180_000 });

async function serverWith(env: Record<string, string>): Promise<{ server: RunningServer; done: () => Promise<void> }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tokensmith-e2e-hooks-"));
  const server = await startServer({ DATABASE_URL: `file:${path.join(dir, "hooks.db")}`, ADMIN_PASSWORD: "e2e-admin-password", WEBHOOK_POLL_INTERVAL: "1 second", ...env });
  return {
    server,
    done: async () => {
      await server.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function signedInPage(browser: Browser, server: RunningServer, viewport = VIEWPORTS.wide) {
  const context = await browser.newContext({ baseURL: server.url, viewport });
  const page = await context.newPage();
  await signIn(page);
  return { page, context };
}

test("a URL refused by policy names WEBHOOK_ALLOW_PRIVATE and what it risks", async ({ browser }, info) => {
  const { server, done } = await serverWith({});
  try {
    const { page, context } = await signedInPage(browser, server);
    await page.goto("/webhooks");
    await page.getByRole("button", { name: "New webhook" }).click();
    const dialog = page.getByRole("dialog");
    await dialog.getByLabel("Endpoint URL").fill("http://hooks.example.com/tokensmith");
    await dialog.getByRole("button", { name: "Create webhook" }).click();
    const error = dialog.locator("#webhook-url-error");
    await expect(error).toContainText("http:// would send events unencrypted. WEBHOOK_ALLOW_PRIVATE=1 allows it");
    await expect(error).toContainText("it also lets every user aim webhooks at this server's network");
    await expect(dialog.getByLabel("Endpoint URL")).toHaveAttribute("aria-invalid", "true");
    await dialog.getByLabel("Endpoint URL").fill("https://127.0.0.1:8443/hook");
    await dialog.getByRole("button", { name: "Create webhook" }).click();
    await expect(error).toContainText("loopback, private, link-local or shared address. WEBHOOK_ALLOW_PRIVATE=1 allows it");
    await expectAccessible(page, info, "a refused webhook URL");
    await shot(page, info, "160-webhook-refused");
    await context.close();
  } finally {
    await done();
  }
});

test("a delivery's request and answers can be viewed, and a failed one redelivered", async ({ browser }, info) => {
  // A receiver that fails until told otherwise, with a body saying why.
  let failing = true;
  const received: string[] = [];
  const receiver = http.createServer((req, res) => {
    let body = "";
    req.on("data", (chunk) => (body += chunk));
    req.on("end", () => {
      received.push(body);
      if (failing) res.writeHead(503, { "content-type": "text/plain" }).end("maintenance until 10:00");
      else res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(receiver.address() as { port: number }).port}/hook`;
  const { server, done } = await serverWith({ WEBHOOK_ALLOW_PRIVATE: "1", WEBHOOK_RETRY_BASE: "1 second", WEBHOOK_RETRY_FOR: "2 seconds" });
  try {
    for (const [name, viewport] of Object.entries(VIEWPORTS)) {
      const { page, context } = await signedInPage(browser, server, viewport);
      await page.goto("/webhooks");
      if (name === "wide") {
        await page.getByRole("button", { name: "New webhook" }).click();
        await page.getByRole("dialog").getByLabel("Endpoint URL").fill(url);
        await page.getByRole("dialog").getByRole("button", { name: "Create webhook" }).click();
        await page.getByRole("dialog").getByRole("button", { name: "Done" }).click();
        failing = true;
        const made = await page.request.post("/v1alpha/token/", {
          headers: { Authorization: `Basic ${Buffer.from("admin:e2e-admin-password").toString("base64")}` },
          data: { jwt_token_description: "hooked", jwt_token_life: "1 hour" },
        });
        expect(made.status()).toBe(201);
      }
      await page.getByRole("button", { name: `Deliveries of ${url}` }).click();
      const log = page.getByRole("region", { name: "Deliveries", exact: true });
      const delivery = log.getByRole("row").filter({ hasText: "token.created" });
      if (name === "wide") await expect(delivery).toContainText("failed", { timeout: 20_000 });
      await expectNoPageOverflow(page, `/webhooks (${name})`);
      await expect(delivery.getByRole("button", { name: /^View/ })).toBeInViewport();
      await expectAccessible(page, info, `delivery log (${name})`);

      await delivery.getByRole("button", { name: /^View/ }).click();
      const dialog = page.getByRole("dialog");
      await expect(dialog.getByLabel("Request body")).toContainText('"description": "hooked"');
      await expect(dialog.getByLabel("Request headers")).toContainText("webhook-id: msg_");
      await expect(dialog).not.toContainText("webhook-signature:");
      await expect(dialog).toContainText("answered 503");
      // Loopback is a private address: what it answered is not kept.
      await expect(dialog).toContainText("The answer is not kept: the receiver is on a private address.");
      await expectAccessible(page, info, `a delivery (${name})`);
      await page.emulateMedia({ colorScheme: "dark" });
      await expectAccessible(page, info, `a delivery, dark (${name})`);
      await page.emulateMedia({ colorScheme: "light" });
      await shot(page, info, `161-${name}-delivery`);
      if (name === "wide") {
        failing = false;
        const before = received.length;
        await dialog.getByRole("button", { name: /^Redeliver/ }).click();
        await expect(page.getByText("Redelivery queued")).toBeVisible();
        await dialog.getByRole("button", { name: "Close" }).click();
        await expect(delivery).toContainText("delivered", { timeout: 20_000 });
        expect(received.length).toBe(before + 1);
        await expect(delivery.getByRole("button", { name: /^Redeliver/ })).toHaveCount(0);
      } else {
        await dialog.getByRole("button", { name: "Close" }).click();
      }
      await context.close();
    }
  } finally {
    await done();
    receiver.close();
  }
});
