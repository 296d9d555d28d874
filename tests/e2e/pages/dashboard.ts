import { expect, type Page } from "@playwright/test";

/** Page objects for the dashboard, found by role and name as a screen reader would. */
export class LoginPage {
  constructor(private readonly page: Page) {}
  async signInWithDemo() {
    await this.page.goto("/login");
    await this.page.getByRole("button", { name: "Continue with the demo account" }).click();
    await this.page.waitForURL(/\/acme$/);
  }
}

export class OverviewPage {
  constructor(private readonly page: Page) {}
  stat(label: string) {
    return this.page.getByText(label, { exact: true }).locator("xpath=..");
  }
  offenders() {
    return this.page.getByRole("region", { name: /Top offenders/ }).getByRole("link");
  }
}

export class ClusterPage {
  constructor(private readonly page: Page) {}
  table() {
    return this.page.getByRole("table");
  }
  async sortBy(column: string) {
    await this.table().getByRole("button", { name: column, exact: true }).click();
  }
  async columnValues(index: number) {
    return this.table().locator("tbody tr").locator(`td:nth-child(${index})`).allInnerTexts();
  }
  async expectSorted(column: string, dir: "ascending" | "descending") {
    await expect(this.table().getByRole("columnheader", { name: column, exact: true })).toHaveAttribute("aria-sort", dir);
  }
}
