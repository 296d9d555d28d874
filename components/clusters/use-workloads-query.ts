"use client";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import type { Page, WorkloadRow } from "@/lib/queries/workloads";
import { queryKeys, toQueryString } from "@/lib/query-keys";
import type { ListWorkloadsQuery } from "@/lib/schemas/lists";
import { fetchJson } from "@/components/ui/table";

export function useWorkloadsQuery(org: string, cluster: string, q: ListWorkloadsQuery) {
  return useQuery({
    queryKey: queryKeys.workloads(org, cluster, q),
    queryFn: () => fetchJson<Page<WorkloadRow>>(`/api/v1/orgs/${org}/clusters/${encodeURIComponent(cluster)}/workloads?${toQueryString(q)}`),
    placeholderData: keepPreviousData,
  });
}
