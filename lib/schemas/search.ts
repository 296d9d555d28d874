import { z } from "zod";

/** Query of the organization-wide search: 1–100 characters, at most `limit` hits of each kind. */
export const searchQuery = z.object({
  q: z.string().trim().min(1, "type at least one character").max(100),
  limit: z.coerce.number().int().min(1).max(20).default(5),
});
export type SearchQuery = z.infer<typeof searchQuery>;
