import NextAuth from "next-auth";
import type { NextRequest } from "next/server";
import { authOptionsForRequest } from "@/lib/auth/options";

// each organization's identity provider is a provider of its own, read from the database per request
async function handler(req: NextRequest, ctx: { params: Promise<{ nextauth: string[] }> }) {
  return NextAuth(req, ctx, await authOptionsForRequest());
}
export { handler as GET, handler as POST };
