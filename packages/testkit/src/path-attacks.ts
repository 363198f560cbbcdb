/**
 * Request paths an orders-only token (`GET /api/orders/*`) must not use to reach anything else.
 * Each was allowed once, because it was matched after `..` had been resolved (or with `..;`,
 * `%252e` or a fullwidth dot kept as a plain segment), while the server behind serves another
 * path: Express and Fastify route on the raw path (the first five reach a users router), Tomcat,
 * Jetty and Spring cut `;…` off and then resolve `..`, a second decoding turns `%252e` into `.`,
 * a Unicode compatibility ("best-fit") conversion turns `．` into `.`, and Windows' best fit for
 * the Japanese code page turns `¥` into the path separator `\`.
 */
export const ORDERS_ONLY_ESCAPES = [
  "/api/users/../orders/1",
  "/api/users/%2e%2e/orders/1",
  "/api/users/%2E%2e/orders/1",
  "/api/users/1/../../orders/1",
  "/api/users//../orders/1",
  "/api/orders/..;/users/1",
  "/api/orders/.;/../users/1",
  "/api/orders/..%3B/users/1",
  "/api/orders/%252e%252e/users/1",
  "/api/orders/%EF%BC%8E%EF%BC%8E/users/1",
  // Windows' best fit turns ¥ into `\` on the Japanese code page, where it is the path separator.
  "/api/orders/%C2%A5..%C2%A5users%C2%A51",
] as const;
