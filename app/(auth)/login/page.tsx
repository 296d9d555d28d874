import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { getDb } from "@/db/client";
import { getSessionUser } from "@/lib/auth/session";
import { getDemoLogin } from "@/lib/queries/organizations";
import { DemoSignIn } from "@/components/auth/demo-sign-in";

export const metadata: Metadata = { title: "Sign in" };

export default async function LoginPage() {
  if (await getSessionUser()) redirect("/");
  const demo = await getDemoLogin(getDb()).catch(() => null);
  return (
    <main className="flex min-h-screen items-center justify-center px-4">
      <div className="w-full max-w-sm rounded-lg border border-zinc-200 bg-white p-8 shadow-sm dark:border-zinc-800 dark:bg-zinc-900">
        <div className="mb-6">
          <div className="text-lg font-semibold tracking-tight">
            <span className="text-red-600">▲</span> Headroom
          </div>
          <p className="mt-1 text-sm text-zinc-500">Why your containers get OOMKilled, and the exact fix.</p>
        </div>
        <h1 className="mb-3 text-sm font-semibold">Sign in</h1>
        {demo ? (
          <DemoSignIn />
        ) : (
          <p className="text-sm text-zinc-500">
            No sign-in method is configured yet. Start the app with <code className="font-mono">npm run demo</code> to get the
            demo organization.
          </p>
        )}
        <p className="mt-6 text-xs text-zinc-500">Single sign-on for your organization is configured by its owner.</p>
      </div>
    </main>
  );
}
