import { openDatabase } from "@tokensmith/db";
import { seedTokens } from "@tokensmith/testkit";

/**
 * `count` tokens created by `parentId` (its children, ending when it does), written straight
 * into the store by the testkit's seedTokens: an HTTP loop of 14,000 creates takes minutes. Their
 * JWTs do not exist; the tests sign a few real children through the API as well.
 */
export async function seedChildren(databaseUrl: string, parentId: string, count: number): Promise<void> {
  const opened = await openDatabase(databaseUrl);
  try {
    const parent = await opened.db.accessToken.findUniqueOrThrow({ where: { id: parentId } });
    await seedTokens(opened.db, opened.target.kind === "postgres", { userId: parent.userId, count, expiresAt: parent.expiresAt.getTime(), parentId });
  } finally {
    await opened.close();
  }
}
