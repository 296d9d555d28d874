"use client";
import { useQueryClient, type QueryKey } from "@tanstack/react-query";
import { useState } from "react";

/** Runs a change (a POST, PATCH or DELETE), then refreshes `queryKey`; keeps the last error for the form to show. */
export function useAction(queryKey: QueryKey) {
  const qc = useQueryClient();
  const [error, setError] = useState<unknown>(null);
  const run = async (fn: () => Promise<unknown>) => {
    setError(null);
    try {
      await fn();
      await qc.invalidateQueries({ queryKey });
    } catch (e) {
      setError(e);
    }
  };
  return { run, error };
}
