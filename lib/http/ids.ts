/** Whether `s` is a UUID as Postgres stores ids: anything else is not looked up (a malformed id would be a 500 from the database). */
export const isUuid = (s: string) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(s);
