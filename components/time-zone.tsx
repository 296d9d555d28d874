"use client";
import { useRouter } from "next/navigation";
import { createContext, useContext, useSyncExternalStore } from "react";
import { DEFAULT_TIME_ZONE, TIME_ZONE_COOKIE, formatDateTime, formatLongDate, zoneName } from "@/lib/time-zone";

const TimeZoneContext = createContext(DEFAULT_TIME_ZONE);

/** The time zone every time on the page is written in (the user's choice, read from its cookie by the server). */
export function TimeZoneProvider({ tz, children }: { tz: string; children: React.ReactNode }) {
  return <TimeZoneContext.Provider value={tz}>{children}</TimeZoneContext.Provider>;
}

/** The UI's time zone: UTC unless the user chose their own. */
export const useTimeZone = () => useContext(TimeZoneContext);

/** Formatters bound to the UI's zone: `formatTime` → `3 Mar 2026, 14:05 UTC`, `formatTimeSeconds` → `…, 14:05:09 UTC`, `formatDay` → `3 Mar 2026`. */
export function useTimeFormat() {
  const tz = useTimeZone();
  return {
    tz,
    formatTime: (iso: string) => formatDateTime(iso, tz),
    formatTimeSeconds: (iso: string) => formatDateTime(iso, tz, { seconds: true }),
    formatDay: (iso: string) => formatLongDate(iso, tz),
  };
}

const noSubscribe = () => () => {};

/** UTC or the browser's own zone, remembered for a year in a cookie; the page re-renders in the new zone. */
export function TimeZoneSelect() {
  const tz = useTimeZone();
  const router = useRouter();
  const local = useSyncExternalStore(noSubscribe, () => Intl.DateTimeFormat().resolvedOptions().timeZone, () => null);
  const options = [DEFAULT_TIME_ZONE, ...(local && local !== DEFAULT_TIME_ZONE ? [local] : []), ...(tz !== DEFAULT_TIME_ZONE && tz !== local ? [tz] : [])];
  return (
    <label className="flex items-center gap-1.5 text-xs text-zinc-600 dark:text-zinc-400">
      <span className="max-sm:sr-only">Times in</span>
      <select
        value={tz}
        onChange={(e) => {
          document.cookie = `${TIME_ZONE_COOKIE}=${encodeURIComponent(e.target.value)}; path=/; max-age=31536000; samesite=lax`;
          router.refresh();
        }}
        className="rounded border border-zinc-300 bg-white px-1.5 py-1 text-xs text-zinc-900 dark:border-zinc-700 dark:bg-zinc-950 dark:text-zinc-100"
      >
        {options.map((z) => <option key={z} value={z}>{z === DEFAULT_TIME_ZONE ? "UTC" : zoneName(z)}</option>)}
      </select>
    </label>
  );
}
