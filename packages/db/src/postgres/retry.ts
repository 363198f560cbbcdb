/**
 * PostgreSQL aborts one of two transactions that lock rows in opposite orders (deadlock, 40P01) or
 * cannot be serialized (40001). Neither wrote anything: run it again, a few times.
 */
export async function retryConflicts<T>(work: () => Promise<T>, attempts = 5): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (error) {
      if (attempt >= attempts || !isConflict(error)) throw error;
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 10 * attempt));
    }
  }
}

function isConflict(error: unknown): boolean {
  const text = `${(error as { code?: unknown })?.code ?? ""} ${(error as Error)?.message ?? ""}`;
  return /40P01|40001|P2034|deadlock detected|could not serialize/i.test(text);
}
