"use client";
import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { PRICING_PRESETS, presetFor } from "@/lib/cost/pricing";
import { formatMoney } from "@/lib/format";
import { buttonClass, Field, inputClass, issueFor, send } from "@/components/clusters/form-bits";

const PRICE_FORMAT = (v: number, c: string) => `${formatMoney(v, c)} / GiB-month`;

/** A cluster's memory price: one of the clouds' presets (with its source and date) or a custom price and currency. */
export function PricingCard({ org, cluster, initial, canEdit }: { org: string; cluster: string; initial: { perGiBMonth: number; currency: string }; canEdit: boolean }) {
  const router = useRouter();
  const current = presetFor(initial.perGiBMonth, initial.currency);
  const [choice, setChoice] = useState<string>(current?.id ?? "custom");
  const [price, setPrice] = useState(String(initial.perGiBMonth));
  const [currency, setCurrency] = useState(initial.currency);
  const save = useMutation({
    mutationFn: () =>
      send<{ perGiBMonth: number; currency: string }>(
        `/api/v1/orgs/${org}/clusters/${encodeURIComponent(cluster)}/pricing`,
        "PUT",
        choice === "custom" ? { perGiBMonth: price.trim() === "" ? undefined : Number(price), currency: currency.trim() || undefined } : { preset: choice },
      ),
    onSuccess: () => router.refresh(),
  });
  const err = save.error;
  const general = err && !(err as { problem?: { issues?: unknown[] } }).problem?.issues ? err.message : null;
  return (
    <div className="space-y-4 px-4 py-4">
      <p className="text-sm">
        Now: <span className="font-semibold" data-testid="current-price">{PRICE_FORMAT(initial.perGiBMonth, initial.currency)}</span>
        {current ? <span className="text-zinc-500"> · {current.label}</span> : <span className="text-zinc-500"> · custom</span>}
      </p>
      <p className="text-xs text-zinc-500">Every cost in Headroom — the cost page, the overview, each container&apos;s recommendation — is the memory request times this price; a change shows on the next page load.</p>
      {canEdit ? (
        <form
          className="space-y-4"
          onSubmit={(e) => {
            e.preventDefault();
            save.mutate();
          }}
        >
          <fieldset className="space-y-2">
            <legend className="text-sm font-medium">On-demand memory price</legend>
            {PRICING_PRESETS.map((p) => (
              <label key={p.id} className="flex items-start gap-2 rounded-md border border-zinc-200 px-3 py-2 text-sm has-[:checked]:border-blue-500 dark:border-zinc-800">
                <input type="radio" name="pricing" value={p.id} checked={choice === p.id} onChange={() => setChoice(p.id)} className="mt-1" />
                <span className="min-w-0">
                  <span className="font-medium">{p.label}</span> <span className="tabular whitespace-nowrap">{PRICE_FORMAT(p.perGiBMonth, p.currency)}</span>
                  <span className="block text-xs text-zinc-500">
                    {p.basis}. Source: <a href={p.sourceUrl} target="_blank" rel="noreferrer" className="break-all text-blue-700 hover:underline dark:text-blue-400">{p.sourceUrl.replace(/^https:\/\//, "")}</a>, read {p.asOf}.
                  </span>
                </span>
              </label>
            ))}
            <label className="flex items-start gap-2 rounded-md border border-zinc-200 px-3 py-2 text-sm has-[:checked]:border-blue-500 dark:border-zinc-800">
              <input type="radio" name="pricing" value="custom" checked={choice === "custom"} onChange={() => setChoice("custom")} className="mt-1" />
              <span className="font-medium">Custom price (your negotiated rate, another region, on-premises)</span>
            </label>
          </fieldset>
          {choice === "custom" ? (
            <div className="grid gap-4 sm:grid-cols-2">
              <Field label="Price per GiB-month" htmlFor="pricing-price" error={issueFor(err, "perGiBMonth")}>
                <input id="pricing-price" type="number" min="0" step="0.0001" inputMode="decimal" className={inputClass} value={price} onChange={(e) => setPrice(e.target.value)} />
              </Field>
              <Field label="Currency" htmlFor="pricing-currency" error={issueFor(err, "currency")} help="ISO 4217 code: USD, EUR, GBP, JPY…">
                <input id="pricing-currency" className={`${inputClass} uppercase`} value={currency} maxLength={3} onChange={(e) => setCurrency(e.target.value.toUpperCase())} />
              </Field>
            </div>
          ) : null}
          {issueFor(err, "preset") ? <p role="alert" className="text-xs text-red-600 dark:text-red-400">{issueFor(err, "preset")}</p> : null}
          {general ? <p role="alert" className="text-sm text-red-600 dark:text-red-400">{general}</p> : null}
          <div className="flex items-center gap-3">
            <button type="submit" className={buttonClass.primary} disabled={save.isPending}>{save.isPending ? "Saving…" : "Save price"}</button>
            {save.isSuccess ? <span role="status" className="text-sm text-emerald-700 dark:text-emerald-400">Saved: {PRICE_FORMAT(save.data.perGiBMonth, save.data.currency)}</span> : null}
          </div>
        </form>
      ) : (
        <p className="text-sm text-zinc-500">Admins change the price.</p>
      )}
    </div>
  );
}
