import Link from "next/link";
import { buttonClass } from "./ui";

/** A not-found page inside the app, with the way back. */
export function NotFoundView({ title, children }: { title: string; children: React.ReactNode }) {
  return (
    <section aria-labelledby="not-found-heading" className="mx-auto max-w-xl py-10 text-center">
      <p className="text-sm font-semibold text-indigo-700 dark:text-indigo-300">404</p>
      <h1 id="not-found-heading" className="mt-2 text-2xl font-semibold tracking-tight">
        {title}
      </h1>
      <div className="mt-3 text-sm text-fg-muted">{children}</div>
      <div className="mt-6 flex flex-wrap justify-center gap-3">
        <Link href="/tokens" className={buttonClass("primary")}>
          Back to your tokens
        </Link>
        <Link href="/activity" className={buttonClass("secondary")}>
          See activity
        </Link>
      </div>
    </section>
  );
}

export function TokenNotFound() {
  return (
    <NotFoundView title="Token not found">
      There is no token with this id among yours. It may belong to another user, or the link may be
      cut short. Revoked and expired tokens keep their page: search for them on the Tokens page.
    </NotFoundView>
  );
}
