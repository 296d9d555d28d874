import "server-only";
import { headers } from "next/headers";
import { getDb } from "@/db/client";
import { clientIp } from "@/lib/http/client-ip";
import { consumeRateLimit, RateLimitedError } from "@/lib/security/rate-limit";
import { previewLink, type LinkPreview } from "./links";

/** For the setup and invite pages: the link's preview, "unusable" (unknown, used, expired, revoked alike) or "limited". */
export async function loadLinkPage(token: string): Promise<LinkPreview | "unusable" | "limited"> {
  const db = getDb();
  try {
    await consumeRateLimit(db.$client, "link-lookup", clientIp(await headers()) ?? "unknown");
  } catch (e) {
    if (e instanceof RateLimitedError) return "limited";
    throw e;
  }
  return (await previewLink(db, { token, now: new Date() })) ?? "unusable";
}
