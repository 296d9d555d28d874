import { redirect } from "next/navigation";
import { getDb } from "@/db/client";
import { getSessionUser } from "@/lib/auth/session";
import { getHomeOrg } from "@/lib/queries/organizations";

export default async function Home() {
  const user = await getSessionUser();
  if (!user) redirect("/login");
  const slug = await getHomeOrg(getDb(), { userId: user.id });
  if (!slug) redirect("/login?error=no-organization");
  redirect(`/${slug}`);
}
