import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { getDb } from "@/db/client";
import { isPublicDemo } from "@/lib/auth/options";
import { getSessionUser } from "@/lib/auth/session";
import { safeReturnPath, signInErrorMessage } from "@/lib/auth/sign-in-errors";
import { getDemoLogin } from "@/lib/queries/organizations";
import { SignIn } from "@/components/auth/sign-in";
import { AuthCard } from "@/components/auth/auth-card";

export const metadata: Metadata = { title: "Sign in" };

export default async function LoginPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const sp = await searchParams;
  const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);
  const callbackUrl = safeReturnPath(one(sp.callbackUrl));
  const error = one(sp.error);
  if (!error && (await getSessionUser())) redirect(callbackUrl);
  const demo = await getDemoLogin(getDb()).catch(() => null);
  return (
    <AuthCard title="Sign in">
      {error ? (
        <p role="alert" className="mb-4 rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800 dark:border-red-900 dark:bg-red-950 dark:text-red-200">
          {signInErrorMessage(error)}
        </p>
      ) : null}
      <SignIn callbackUrl={callbackUrl} demo={!!demo} publicDemo={isPublicDemo()} />
    </AuthCard>
  );
}
