import { Skeleton } from "@/components/ui/card";

/** While the fleet's verdicts are computed (the first load of a minute analyses every container). */
export default function CostLoading() {
  return (
    <div className="mx-auto max-w-7xl space-y-5" aria-busy="true">
      <div>
        <h1 className="text-xl font-semibold">Cost of memory</h1>
        <p className="text-sm text-zinc-500">Analysing every container…</p>
      </div>
      <div className="grid grid-cols-1 gap-3 sm:grid-cols-2 lg:grid-cols-4">{[0, 1, 2, 3].map((i) => <Skeleton key={i} className="h-24" />)}</div>
      <Skeleton className="h-64" />
      <Skeleton className="h-96" />
    </div>
  );
}
