import Link from "next/link";
import { AuthCard } from "@/components/auth/auth-card";

export default function NotFound() {
  return (
    <AuthCard title="Not found">
      <p className="text-sm text-zinc-600 dark:text-zinc-400">
        This page does not exist, or it is not yours to see. A shared link may have expired or been revoked: ask the person who sent it for a new one.
      </p>
      <Link href="/" className="mt-4 inline-block text-sm text-blue-700 hover:underline dark:text-blue-400">Go to Headroom</Link>
    </AuthCard>
  );
}
