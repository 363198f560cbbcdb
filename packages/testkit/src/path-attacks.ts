/**
 * Request paths an orders-only token (`GET /api/orders/*`) must not use to reach anything else.
 * Each was allowed once, because it was matched after `..` had been resolved (or with `..;`,
 * `%252e` or a fullwidth dot kept as a plain segment), while the server behind serves another
 * path: Express and Fastify route on the raw path (the first five reach a users router), Tomcat,
 * Jetty and Spring cut `;…` off and then resolve `..`, a second decoding turns `%252e` into `.`,
 * and a Unicode compatibility ("best-fit") conversion turns `．` into `.`.
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
] as const;
