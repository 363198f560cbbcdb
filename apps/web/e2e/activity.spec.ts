import { expect, test } from "@playwright/test";
import { createToken, createUser, expectNoPageOverflow, row, shot, signIn, signInAs, VIEWPORTS } from "./support";

for (const [name, viewport] of Object.entries(VIEWPORTS)) {
  test.describe(`activity, ${name}`, () => {
    test.use({ viewport });

    test(`filtered by event type and token, in the URL; rows lead to token pages (${name})`, async ({ page, request }, info) => {
      const user = await createUser(request, `activity-${name}`);
      await signInAs(page, user);
      for (const description of ["Kept token", "Dropped token"]) {
        const { dialog } = await createToken(page, description, { preset: "1 day" });
        await dialog.getByRole("button", { name: "Done" }).click();
      }
      const droppedId = (await row(page, "Dropped token").getAttribute("data-token-id"))!;
      await row(page, "Dropped token").getByRole("button", { name: /^Revoke/ }).click();
      await page.getByRole("alertdialog").getByRole("button", { name: "Revoke token" }).click();
      await expect(row(page, "Dropped token")).toHaveCount(0);

      await page.goto("/activity");
      const rows = page.getByRole("row");
      await expect(rows).toHaveCount(5); // header, two creations, a revocation, the sign-in
      // A user sees only their own events: no "Done by" filter.
      await expect(page.getByLabel("Done by")).toHaveCount(0);
      await expectNoPageOverflow(page, "/activity");
      await shot(page, info, `90-${name}-activity`);

      await page.getByLabel("Event").selectOption({ label: "Token revoked" });
      await expect(page).toHaveURL(/\/activity\?action=token\.revoke$/);
      await expect(rows).toHaveCount(2);
      await expect(rows.nth(1)).toContainText("Token revoked");
      // The token named by its description beside its id.
      await expect(rows.nth(1).getByTestId("token-description")).toHaveText("Dropped token");
      await shot(page, info, `91-${name}-activity-revoked`);

      // Its token cell links to the token's page (revoked tokens keep theirs).
      await rows.nth(1).getByRole("link", { name: `Token ${droppedId.slice(0, 8)}` }).click();
      await expect(page).toHaveURL(`/tokens/${droppedId}`);
      await expect(page.getByRole("heading", { level: 1 })).toContainText("Dropped token");
      await page.goBack();
      await expect(page.getByLabel("Event")).toHaveValue("token.revoke");

      // By token id: every event of one token.
      await page.getByLabel("Event").selectOption("");
      await page.getByLabel("Token id").fill(droppedId);
      await page.getByRole("button", { name: "Apply" }).click();
      await expect(page).toHaveURL(new RegExp(`token=${droppedId}`));
      await expect(rows).toHaveCount(3);
      await expect(page.getByRole("cell", { name: "Token created" })).toBeVisible();
      await expect(page.getByRole("cell", { name: "Token revoked" })).toBeVisible();
      await page.getByLabel("Token id").fill("abc");
      await expect(page.getByText("A token id is 36 characters")).toBeVisible();
      await shot(page, info, `92-${name}-activity-by-token`);

      // Back and forward walk through the filters.
      await page.goBack();
      await expect(page.getByLabel("Event")).toHaveValue("");
      await expect(rows).toHaveCount(5);
      await page.goForward();
      await expect(rows).toHaveCount(3);
    });
  });
}

test("administrators filter activity by who acted (Done by)", async ({ page }, info) => {
  await signIn(page);
  await page.goto("/activity");
  // The user of the wide test above: a sign-in, two creations and a revocation.
  await page.getByLabel("Done by").fill("activity-wide");
  await page.getByRole("button", { name: "Apply" }).click();
  await expect(page).toHaveURL(/user=activity-wide/);
  await expect(page.getByRole("row")).toHaveCount(5);
  await expect(page.getByRole("cell", { name: "Token revoked" })).toBeVisible();
  await shot(page, info, "93-activity-by-user");
});
