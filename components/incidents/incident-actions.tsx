"use client";
import { useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { send } from "@/components/clusters/form-bits";

/** Acknowledge / Resolve / Reopen for members, next to the incident's status. */
export function IncidentActions({ org, incidentId, status }: { org: string; incidentId: string; status: "open" | "acknowledged" | "resolved" }) {
  const qc = useQueryClient();
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const set = async (next: "open" | "acknowledged" | "resolved") => {
    setPending(true);
    setError(null);
    try {
      await send(`/api/v1/orgs/${encodeURIComponent(org)}/incidents/${incidentId}`, "PATCH", { status: next });
      await qc.invalidateQueries({ queryKey: ["container", org] });
      await qc.invalidateQueries({ queryKey: ["incidents", org] });
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setPending(false);
    }
  };
  const button = "rounded border border-zinc-300 px-2 py-0.5 text-xs font-medium hover:bg-zinc-50 disabled:opacity-50 dark:border-zinc-700 dark:hover:bg-zinc-800";
  return (
    <span className="inline-flex items-center gap-1.5">
      {status === "open" ? <button type="button" disabled={pending} onClick={() => set("acknowledged")} className={button}>Acknowledge</button> : null}
      {status !== "resolved" ? <button type="button" disabled={pending} onClick={() => set("resolved")} className={button}>Resolve</button> : null}
      {status === "resolved" ? <button type="button" disabled={pending} onClick={() => set("open")} className={button}>Reopen</button> : null}
      {error ? <span role="alert" className="text-xs text-red-600 dark:text-red-400">{error}</span> : null}
    </span>
  );
}
