import fs from "node:fs";
import path from "node:path";
import type { APIRequestContext, Browser } from "@playwright/test";
import { memberCookie } from "../../support/sessions";

// Every page under app/ (each page.tsx, found from the file tree), as a URL with real slugs and ids of
// the e2e database: the demo organization's prod-eu payments-api, an open incident of it, a live share
// link. A page with a [param] this table cannot fill fails the specs that use it (add a value here).

export interface AppPage {
  /** the page.tsx under app/ */
  file: string;
  url: string;
  /** signed out (the sign-in, invitation and share pages) or as an Acme owner */
  signedIn: boolean;
}

function pageFiles(dir = "app"): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? pageFiles(p) : e.name === "page.tsx" ? [p] : [];
  });
}

/** An Acme owner's session cookie (created once per spec file). */
export const ownerCookie = () => memberCookie(process.env.E2E_DATABASE_URL!, { slug: "acme", email: "owner@pages.acme.example", name: "Page Owner", role: "owner" });

/** Every page's URL, its dynamic segments filled from the running app's own API. */
export async function allPages(request: APIRequestContext, cookie: string): Promise<AppPage[]> {
  const headers = { cookie };
  const incidents = await (await request.get("/api/v1/orgs/acme/incidents?status=active&sort=kills&dir=desc", { headers })).json();
  const incident = (incidents.rows as { id: string; workloadName: string }[]).find((r) => r.workloadName === "payments-api") ?? incidents.rows[0];
  const share = await request.post(`/api/v1/orgs/acme/incidents/${incident.id}/share-links`, { headers: { ...headers, "content-type": "application/json" }, data: { expiresIn: "1d" } });
  const shareUrl: string = (await share.json()).url;
  const values: Record<string, string> = {
    "[org]": "acme",
    "[cluster]": "prod-eu",
    "[namespace]": "payments",
    "[kind]": "deployment",
    "[name]": "payments-api",
    "[container]": "api",
    "[incident]": incident.id,
  };
  return pageFiles()
    .sort()
    .map((file) => {
      const route = file
        .replace(/^app/, "")
        .replace(/\/page\.tsx$/, "")
        .split("/")
        .filter((s) => s && !/^\(.*\)$/.test(s));
      const publicPage = route[0] === "login" || route[0] === "setup" || route[0] === "invite" || route[0] === "share";
      const url = "/" + route.map((seg) => {
        if (!seg.startsWith("[")) return seg;
        // a share page of a live link; setup and invitation pages of an unknown token (what a stale link shows)
        if (seg === "[token]") return route[0] === "share" ? new URL(shareUrl).pathname.split("/").pop()! : "no-such-token-0123456789abcdefghijklmnopqrstuv";
        const v = values[seg];
        if (!v) throw new Error(`${file}: no value for ${seg} in tests/e2e/pages/all-pages.ts`);
        return v;
      }).join("/");
      return { file, url, signedIn: !publicPage };
    });
}

/** A browser context at `width` px, signed in with `cookie` when given. */
export async function contextAt(browser: Browser, baseURL: string, width: number, height: number, cookie?: string, colorScheme: "light" | "dark" = "light") {
  const ctx = await browser.newContext({ viewport: { width, height }, colorScheme });
  if (cookie) {
    const [name, value] = cookie.split(/=(.*)/s) as [string, string];
    await ctx.addCookies([{ name, value, url: baseURL }]);
  }
  return ctx;
}
