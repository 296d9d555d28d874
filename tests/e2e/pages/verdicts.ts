import { containerHref } from "@/lib/links";
import { expect, type Locator, type Page } from "@playwright/test";

/** A list row's verdict, as the overview and the incidents list show it. */
async function predictionOf(row: Locator): Promise<string | null> {
  const p = row.getByTestId("row-prediction");
  return (await p.count()) > 0 ? (await p.innerText()).trim() : null;
}

/** The overview's top offenders, by the container they name. */
export class OffendersList {
  constructor(private readonly page: Page) {}
  rows() {
    return this.page.getByRole("region", { name: /Top offenders/ }).getByRole("link");
  }
  /** Each offender's name ("workload/container"), cluster and prediction. */
  async predictions(): Promise<{ name: string; cluster: string; prediction: string | null }[]> {
    // the overview streams its parts: the offenders arrive after the page's frame
    await expect(this.rows().first()).toBeVisible({ timeout: 30_000 });
    const out = [];
    for (const row of await this.rows().all()) {
      const name = (await row.locator("span.font-mono").first().innerText()).trim();
      const cluster = (await row.innerText()).split("\n").find((l) => l.includes(" · "))!.split(" · ")[0]!.trim();
      out.push({ name, cluster, prediction: await predictionOf(row) });
    }
    return out;
  }
}

/** The incidents list. */
export class IncidentsList {
  constructor(
    private readonly page: Page,
    private readonly org = "acme",
  ) {}
  rows() {
    return this.page.getByRole("table").locator("tbody tr");
  }
  /** Each incident's container ("workload/container"), cluster, status and prediction, with the link to its page. */
  async entries(): Promise<{ name: string; cluster: string; status: string; prediction: string | null; href: string }[]> {
    const out = [];
    for (const row of await this.rows().all()) {
      const link = row.getByRole("link").first();
      const cells = row.locator("td");
      const name = (await link.innerText()).trim();
      const [cluster, namespace, workloadKind] = (await cells.nth(0).locator("div").first().innerText()).split(" · ").map((x) => x.trim()) as [string, string, string];
      const [workloadName, container] = name.split("/") as [string, string];
      out.push({
        name,
        // the row opens the incident; the prediction to compare is on its container's page
        href: containerHref(this.org, { cluster, namespace, workloadKind, workloadName, container }),
        cluster,
        status: (await cells.nth(2).innerText()).trim(),
        prediction: await predictionOf(row),
      });
    }
    return out;
  }
}

/** A container's page. */
export class ContainerPage {
  constructor(private readonly page: Page) {}
  verdict() {
    return this.page.getByRole("region", { name: "Verdict" });
  }
  recommendation() {
    return this.page.getByRole("region", { name: "Recommendation" });
  }
  /** The verdict's "Next OOMKill" figure: `~12 min`, or `—` without a prediction (also when the page has no verdict: no memory history). */
  async nextOomKill(): Promise<string> {
    // a container without memory history (known only from an agent's kills) shows why instead of a verdict
    await this.verdict().or(this.page.getByText(/^No memory history$|^No samples for this container/)).first().waitFor();
    if ((await this.verdict().count()) === 0) return "—";
    return (await this.verdict().getByText("Next OOMKill", { exact: true }).locator("xpath=following-sibling::dd").innerText()).trim();
  }
}

/** The minute of the clock the server anchors its verdicts to. */
export const currentMinute = () => Math.floor(Date.now() / 60_000);

/**
 * Runs `read` until it starts and ends within one minute (at most three times): verdicts are
 * anchored to the minute, so what is compared across pages must be read within one.
 */
export async function withinOneMinute<T>(read: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    const start = currentMinute();
    const result = await read();
    if (currentMinute() === start || attempt === 3) return result;
  }
}
