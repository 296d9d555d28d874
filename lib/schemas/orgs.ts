import { z } from "zod";

/** Slugs a route already uses at the top level: an organization cannot take them. */
const RESERVED_SLUGS = new Set(["api", "login", "logout", "setup", "invite", "share", "settings", "admin", "_next", "static", "public", "new", "orgs"]);

export const orgSlugSchema = z
  .string()
  .regex(/^[a-z0-9]([a-z0-9-]{0,38}[a-z0-9])?$/, "lowercase letters, digits and dashes, 1 to 40 characters, starting and ending with a letter or digit")
  .refine((s) => !RESERVED_SLUGS.has(s), "this name is reserved");

export const emailSchema = z
  .string()
  .trim()
  .toLowerCase()
  .max(254)
  .regex(/^[^\s@<>()"',;:\\]+@[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$/, "an email address such as alice@example.com");

export const domainSchema = z
  .string()
  .trim()
  .toLowerCase()
  .max(253)
  .regex(/^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$/, "a domain such as example.com");

export const createOrgSchema = z.object({
  slug: orgSlugSchema,
  name: z.string().trim().min(1, "a name is required").max(100),
  owner: emailSchema,
});
export type CreateOrg = z.infer<typeof createOrgSchema>;

export const ASSIGNABLE_ROLES = ["viewer", "member", "admin"] as const;

export const ssoSettingsSchema = z.object({
  issuer: z.string().trim().url("an https URL of the identity provider (its issuer)").max(500),
  clientId: z.string().trim().min(1, "the client id the identity provider gave Headroom").max(300),
  /** empty keeps the stored secret */
  clientSecret: z.string().max(2000).optional(),
  domains: z.array(domainSchema).min(1, "at least one email domain the organization owns").max(20),
  defaultRole: z.enum(ASSIGNABLE_ROLES),
});
export type SsoSettingsInput = z.infer<typeof ssoSettingsSchema>;

export const ssoEnableSchema = z.object({ enabled: z.boolean() });

export const ssoLookupSchema = z.object({ login: z.string().trim().min(1, "your work email or organization name").max(254) });

export const inviteSchema = z.object({ email: emailSchema, role: z.enum(ASSIGNABLE_ROLES) });
export const changeRoleSchema = z.object({ role: z.enum(["viewer", "member", "admin", "owner"]) });

export const SHARE_EXPIRIES = { "1d": 86_400, "7d": 7 * 86_400, "30d": 30 * 86_400 } as const;
export const createShareSchema = z.object({
  expiresIn: z.enum(["1d", "7d", "30d"]).default("7d"),
  redact: z.boolean().default(false),
});

export const auditQuerySchema = z.object({
  action: z.string().max(60).optional(),
  actor: z.string().max(254).optional(),
  before: z.coerce.number().int().positive().optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
