import { redirect } from "next/navigation";
import { getDb } from "@/db/client";
import { getSessionUser } from "@/lib/auth/session";
import { listUserOrgs } from "@/lib/queries/organizations";

export default async function Home() {
  const user = await getSessionUser();
  if (!user) redirect("/login");
  const orgs = await listUserOrgs(getDb(), { userId: user.id });
  if (orgs.length === 0) redirect("/login?error=no-organization");
  redirect(`/${orgs[0]!.slug}`);
}
