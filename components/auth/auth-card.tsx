/** The centred card of the pages outside an organization (sign-in, setup and invite links, share errors). */
export function AuthCard({ title, children }: { title: string; children: React.ReactNode }) {
  return (
    <main className="flex min-h-screen items-center justify-center px-4">
      <div className="w-full max-w-sm rounded-lg border border-zinc-200 bg-white p-6 shadow-sm sm:p-8 dark:border-zinc-800 dark:bg-zinc-900">
        <div className="mb-6">
          <div className="text-lg font-semibold tracking-tight">
            <span className="text-red-600">▲</span> Headroom
          </div>
          <p className="mt-1 text-sm text-zinc-500">Why your containers get OOMKilled, and the exact fix.</p>
        </div>
        <h1 className="mb-3 text-sm font-semibold">{title}</h1>
        {children}
      </div>
    </main>
  );
}
