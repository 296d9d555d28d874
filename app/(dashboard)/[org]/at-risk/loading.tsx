import { Skeleton } from "@/components/ui/card";

/** While every container's live usage and verdict are read (the first load of a minute analyses them). */
export default function AtRiskLoading() {
  return (
    <div className="mx-auto max-w-7xl space-y-5" aria-busy="true">
      <div>
        <h1 className="text-xl font-semibold">At risk of an OOMKill</h1>
        <p className="text-sm text-zinc-500">Reading live usage and analysing every container…</p>
      </div>
      <Skeleton className="h-16" />
      {[0, 1, 2, 3, 4, 5].map((i) => <Skeleton key={i} className="h-14" />)}
    </div>
  );
}
