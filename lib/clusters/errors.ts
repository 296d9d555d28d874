/** The request conflicts with the resource's state (a duplicate name, a demo cluster): answered 409. */
export class ConflictError extends Error {}
