import type { Metadata } from "next";
import { headers } from "next/headers";
import { notFound } from "next/navigation";
import { getDb } from "@/db/client";
import { clientIp } from "@/lib/http/client-ip";
import { consumeRateLimit, RateLimitedError } from "@/lib/security/rate-limit";
import { openShareLink } from "@/lib/share/links";
import { AuthCard } from "@/components/auth/auth-card";
import { SharedIncident } from "@/components/share/shared-incident";
import { TimeZoneProvider } from "@/components/time-zone";
import { requestTimeZone } from "@/lib/time-zone-server";

export const metadata: Metadata = { title: "Shared OOMKill analysis", referrer: "no-referrer", robots: { index: false, follow: false } };

export default async function SharePage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const db = getDb();
  try {
    await consumeRateLimit(db.$client, "share-lookup", clientIp(await headers()) ?? "unknown");
  } catch (e) {
    if (e instanceof RateLimitedError) return <AuthCard title="Too many requests"><p className="text-sm text-zinc-600 dark:text-zinc-400">Wait a minute, then reload the page.</p></AuthCard>;
    throw e;
  }
  const snapshot = await openShareLink(db, { token, now: new Date() });
  if (!snapshot) notFound();
  return (
    <TimeZoneProvider tz={await requestTimeZone()}>
      <SharedIncident s={snapshot} />
    </TimeZoneProvider>
  );
}
