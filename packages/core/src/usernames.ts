/** What a username may be: checked when a user is created, and before any sign-in looks one up. */
export const USERNAME_PATTERN = /^[A-Za-z0-9._@-]{1,64}$/;
export const USERNAME_RULE = "must be 1 to 64 letters, digits, or . _ @ -";

/**
 * The form usernames are unique in, and looked up by: ASCII letters lower-cased, nothing else
 * changed (a username is ASCII). The databases compute the same in the User.usernameKey column
 * (SQLite's lower(), PostgreSQL's lower() under the C collation), which is unique.
 */
export const usernameKey = (username: string): string => username.replace(/[A-Z]+/g, (letters) => letters.toLowerCase());
