"use client";
import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { buttonClass, Field, inputClass, issueFor, send } from "./form-bits";

/** Adds a cluster by name; its Prometheus endpoint is set on the next page. */
export function NewClusterForm({ org }: { org: string }) {
  const router = useRouter();
  const [name, setName] = useState("");
  const [provider, setProvider] = useState("");
  const [region, setRegion] = useState("");
  const [price, setPrice] = useState("3.20");
  const create = useMutation({
    mutationFn: () => send<{ slug: string }>(`/api/v1/orgs/${org}/clusters`, "POST", { name, provider, region, pricePerGibMonth: Number(price) }),
    onSuccess: (c) => router.push(`/${org}/clusters/${c.slug}/settings`),
  });
  const formError = create.error && !issueFor(create.error, "name") && !issueFor(create.error, "pricePerGibMonth") ? create.error.message : null;
  return (
    <form
      className="space-y-4 px-4 py-4"
      onSubmit={(e) => {
        e.preventDefault();
        create.mutate();
      }}
    >
      <Field label="Name" htmlFor="name" help="How the cluster appears in Headroom and in URLs, e.g. prod-eu." error={issueFor(create.error, "name")}>
        <input id="name" className={inputClass} value={name} onChange={(e) => setName(e.target.value.toLowerCase())} required autoFocus placeholder="prod-eu" />
      </Field>
      <div className="grid gap-4 sm:grid-cols-3">
        <Field label="Provider" htmlFor="provider" help="Optional: AWS EKS, GKE, on-prem…">
          <input id="provider" className={inputClass} value={provider} onChange={(e) => setProvider(e.target.value)} />
        </Field>
        <Field label="Region" htmlFor="region" help="Optional.">
          <input id="region" className={inputClass} value={region} onChange={(e) => setRegion(e.target.value)} />
        </Field>
        <Field label="Memory price (USD per GiB-month)" htmlFor="price" help="For the cost impact of recommendations." error={issueFor(create.error, "pricePerGibMonth")}>
          <input id="price" type="number" min="0" step="0.01" className={inputClass} value={price} onChange={(e) => setPrice(e.target.value)} />
        </Field>
      </div>
      {formError ? <p role="alert" className="text-sm text-red-600 dark:text-red-400">{formError}</p> : null}
      <button type="submit" className={buttonClass.primary} disabled={create.isPending}>{create.isPending ? "Adding…" : "Add cluster"}</button>
    </form>
  );
}
