import "server-only";
import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { getDb } from "@/db/client";
import { getDemoLogin } from "@/lib/queries/organizations";

/** next-auth configuration: JWT sessions; until per-organization SSO lands, the demo account is the way in. */
export const authOptions: NextAuthOptions = {
  session: { strategy: "jwt", maxAge: 8 * 3600 },
  pages: { signIn: "/login" },
  providers: [
    CredentialsProvider({
      id: "demo",
      name: "Demo account",
      credentials: {},
      async authorize() {
        const demo = await getDemoLogin(getDb());
        return demo ? { id: demo.userId, email: demo.email, name: demo.name } : null;
      },
    }),
  ],
  callbacks: {
    jwt({ token, user }) {
      if (user) token.uid = user.id;
      return token;
    },
    session({ session, token }) {
      if (session.user && typeof token.uid === "string") session.user.id = token.uid;
      return session;
    },
  },
};
