// A module without a `plugins` export.
export const somethingElse = 1;
