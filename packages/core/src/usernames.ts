/** What a username may be: checked when a user is created, and before any sign-in looks one up. */
export const USERNAME_PATTERN = /^[A-Za-z0-9._@-]{1,64}$/;
export const USERNAME_RULE = "must be 1 to 64 letters, digits, or . _ @ -";
