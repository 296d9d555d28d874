import { expect, test } from "@playwright/test";
import { memberCookie } from "../support/sessions";

// An owner invites someone from outside, who joins through the link; the owner changes their role,
// sees it in the audit log, and removes them: effective on their next request.

let ownerCookie = "";

test.beforeAll(async () => {
  ownerCookie = await memberCookie(process.env.E2E_DATABASE_URL!, { slug: "acme", email: "owner@members.acme.example", name: "Members Owner", role: "owner" });
});

test("an invitation link lets an outsider join once, with its role; role change and removal apply at once and are audited", async ({ browser, baseURL }) => {
  const ownerCtx = await browser.newContext();
  const [name, value] = ownerCookie.split(/=(.*)/s) as [string, string];
  await ownerCtx.addCookies([{ name, value, url: baseURL! }]);
  const owner = await ownerCtx.newPage();
  await owner.goto("/acme/settings/members");
  await owner.getByLabel("Email to invite").fill("Contractor@Partner.example");
  await owner.getByLabel("Role of the invited person").selectOption("viewer");
  await owner.getByRole("button", { name: "Create invite link" }).click();
  const url = await owner.getByTestId("invite-url").innerText();
  await expect(owner.getByText("contractor@partner.example · viewer")).toBeVisible();

  const guestCtx = await browser.newContext();
  const guest = await guestCtx.newPage();
  await guest.goto(url);
  await expect(guest.getByRole("heading", { name: "Join Acme" })).toBeVisible();
  await guest.getByRole("button", { name: "Accept and sign in" }).click();
  await guest.waitForURL(/\/acme$/);
  await expect(guest.getByRole("navigation", { name: "Main" })).toContainText("contractor@partner.example · viewer");
  await guest.goto("/acme/settings/members");
  await expect(guest.getByText("Only admins and owners see this page")).toBeVisible();
  // the link was single use
  const again = await browser.newContext();
  const ap = await again.newPage();
  await ap.goto(url);
  await expect(ap.getByRole("heading", { name: "This invitation cannot be used" })).toBeVisible();
  await again.close();

  await owner.reload();
  await owner.getByLabel("Role of contractor@partner.example").selectOption("member");
  await expect(owner.getByLabel("Role of contractor@partner.example")).toHaveValue("member");
  await guest.goto("/acme");
  await expect(guest.getByRole("navigation", { name: "Main" })).toContainText("contractor@partner.example · member");

  owner.once("dialog", (d) => void d.accept());
  await owner.getByRole("listitem").filter({ hasText: "contractor@partner.example" }).getByRole("button", { name: "Remove" }).click();
  await expect(owner.getByText("contractor@partner.example")).toHaveCount(0);
  expect((await guest.goto("/acme"))!.status()).toBe(404);

  await owner.goto("/acme/settings/audit");
  await owner.getByLabel("Action").selectOption("member");
  await expect(owner.getByText("member.removed")).toBeVisible();
  await expect(owner.getByText("member.role_changed")).toBeVisible();
  await owner.getByLabel("Action").selectOption("invite");
  await expect(owner.getByText("invite.accepted")).toBeVisible();
  await expect(owner.getByText("invite.created")).toBeVisible();
  await ownerCtx.close();
  await guestCtx.close();
});
