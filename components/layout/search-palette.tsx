"use client";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { Command } from "cmdk";
import { useRouter } from "next/navigation";
import { useEffect, useState, useSyncExternalStore } from "react";
import type { SearchHit, SearchKind } from "@/lib/queries/search";
import { fetchJson } from "@/components/ui/table";
import { useDebounced } from "@/components/ui/use-debounced";

const GROUPS: { kind: SearchKind; heading: string }[] = [
  { kind: "incident", heading: "Incidents" },
  { kind: "workload", heading: "Workloads" },
  { kind: "container", heading: "Containers" },
  { kind: "image", heading: "Images" },
  { kind: "namespace", heading: "Namespaces" },
  { kind: "cluster", heading: "Clusters" },
];

/** Search across the organization: a box in the header that opens a palette, also on ⌘K / Ctrl-K. */
export function SearchPalette({ org }: { org: string }) {
  const [open, setOpen] = useState(false);
  // the server renders "Ctrl K"; a Mac's browser says ⌘K
  const mac = useSyncExternalStore(noSubscribe, () => /Mac|iPhone|iPad/.test(navigator.platform), () => false);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key.toLowerCase() === "k" && (e.metaKey || e.ctrlKey)) {
        e.preventDefault();
        setOpen((o) => !o);
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, []);

  return (
    <>
      <button
        type="button"
        onClick={() => setOpen(true)}
        aria-keyshortcuts="Meta+K Control+K"
        className="flex w-full min-w-0 items-center gap-2 rounded-md border border-zinc-300 bg-white px-3 py-1.5 text-left text-sm text-zinc-600 hover:border-zinc-400 sm:w-96 dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-300"
      >
        <SearchIcon />
        <span className="flex-1 truncate">Search workloads, containers, incidents…</span>
        <kbd className="hidden rounded border border-zinc-300 px-1.5 font-sans text-xs text-zinc-600 sm:inline dark:border-zinc-600 dark:text-zinc-300">{mac ? "⌘K" : "Ctrl K"}</kbd>
      </button>
      {open ? <Palette org={org} onClose={() => setOpen(false)} /> : null}
    </>
  );
}

function Palette({ org, onClose }: { org: string; onClose: () => void }) {
  const router = useRouter();
  const [input, setInput] = useState("");
  const q = useDebounced(input.trim(), 150);
  const search = useQuery({
    queryKey: ["search", org, { q }],
    queryFn: () => fetchJson<{ q: string; hits: SearchHit[] }>(`/api/v1/orgs/${org}/search?${new URLSearchParams({ q, limit: "5" })}`),
    enabled: q.length > 0 && q.length <= 100,
    placeholderData: keepPreviousData,
    staleTime: 10_000,
  });
  const hits = q ? (search.data?.hits ?? []) : [];
  const go = (href: string) => {
    onClose();
    router.push(href);
  };

  return (
    <Command.Dialog
      open
      onOpenChange={(o) => (o ? null : onClose())}
      label="Search"
      shouldFilter={false}
      loop
      overlayClassName="fixed inset-0 z-40 bg-zinc-950/40"
      contentClassName="fixed inset-x-2 top-4 z-50 mx-auto max-w-xl overflow-hidden rounded-lg border border-zinc-200 bg-white shadow-xl sm:top-[12vh] dark:border-zinc-700 dark:bg-zinc-900"
    >
      <div className="flex items-center gap-2 border-b border-zinc-200 px-3 dark:border-zinc-700">
        <SearchIcon />
        <Command.Input
          value={input}
          onValueChange={setInput}
          maxLength={100}
          // the caret and the dialog's frame show where typing goes; the page-wide focus ring would box the input in
          style={{ outline: "none" }}
          placeholder="Workload, container, image, namespace, cluster…"
          className="min-w-0 flex-1 bg-transparent py-3 text-base outline-none placeholder:text-zinc-500 sm:text-sm dark:placeholder:text-zinc-400"
        />
        <button type="button" onClick={onClose} className="rounded px-2 py-1 text-xs text-zinc-600 hover:bg-zinc-100 dark:text-zinc-300 dark:hover:bg-zinc-800">
          Esc
        </button>
      </div>
      <Command.List label="Results" className="max-h-[60vh] overflow-y-auto p-1">
        {!q ? (
          <p className="px-3 py-6 text-center text-sm text-zinc-600 dark:text-zinc-400">Type a name: ↑ ↓ to move, Enter to open.</p>
        ) : search.isError ? (
          <p role="alert" className="px-3 py-6 text-center text-sm text-red-700 dark:text-red-400">Search failed: {(search.error as Error).message}. Try again.</p>
        ) : search.isFetching && hits.length === 0 ? (
          <Command.Loading>
            <p className="px-3 py-6 text-center text-sm text-zinc-600 dark:text-zinc-400">Searching…</p>
          </Command.Loading>
        ) : (
          <Command.Empty className="px-3 py-6 text-center text-sm text-zinc-600 dark:text-zinc-400">Nothing named like “{q}”.</Command.Empty>
        )}
        {GROUPS.map(({ kind, heading }) => {
          const group = hits.filter((h) => h.kind === kind);
          if (group.length === 0) return null;
          return (
            <Command.Group
              key={kind}
              heading={heading}
              className="[&_[cmdk-group-heading]]:px-2 [&_[cmdk-group-heading]]:pt-2 [&_[cmdk-group-heading]]:pb-1 [&_[cmdk-group-heading]]:text-xs [&_[cmdk-group-heading]]:font-medium [&_[cmdk-group-heading]]:text-zinc-600 dark:[&_[cmdk-group-heading]]:text-zinc-400"
            >
              {group.map((h) => (
                <Command.Item
                  key={`${h.kind}:${h.href}:${h.title}`}
                  value={`${h.kind}:${h.href}:${h.title}`}
                  onSelect={() => go(h.href)}
                  className="flex cursor-pointer flex-col rounded-md px-2 py-1.5 data-[selected=true]:bg-zinc-100 dark:data-[selected=true]:bg-zinc-800"
                >
                  <span className="truncate font-mono text-sm" title={h.title}>{h.title}</span>
                  <span className="truncate text-xs text-zinc-600 dark:text-zinc-400" title={h.detail}>{h.detail}</span>
                </Command.Item>
              ))}
            </Command.Group>
          );
        })}
      </Command.List>
    </Command.Dialog>
  );
}

const noSubscribe = () => () => {};

function SearchIcon() {
  return (
    <svg aria-hidden="true" viewBox="0 0 20 20" className="size-4 shrink-0 text-zinc-500 dark:text-zinc-400" fill="none" stroke="currentColor" strokeWidth="2">
      <circle cx="9" cy="9" r="6" />
      <path d="m14 14 4 4" strokeLinecap="round" />
    </svg>
  );
}
