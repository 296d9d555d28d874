import { hasRole, type Role } from "@/lib/auth/roles";
import { ErrorState } from "@/components/ui/card";

/** The frame of a settings page: title, help line, and the admin-only gate. */
export function SettingsPage({ title, help, role, needs = "admin", orgName, children }: { title: string; help: React.ReactNode; role: Role; needs?: Role; orgName: string; children: React.ReactNode }) {
  return (
    <div className="mx-auto max-w-4xl space-y-5">
      <div>
        <p className="text-xs text-zinc-500">Settings /</p>
        <h1 className="text-xl font-semibold">{title}</h1>
        <p className="mt-1 text-sm text-zinc-500">{help}</p>
      </div>
      {hasRole(role, needs) ? children : <ErrorState title={`Only ${needs}s and owners see this page`}>Ask an owner or admin of {orgName} if you need a change here.</ErrorState>}
    </div>
  );
}
