"use client";

import { errorMessage } from "@/lib/errors";
import { Button } from "./ui";

/** A failed request, said in words a person can act on, with a way to try again. */
export function QueryError({ what, error, onRetry, retrying }: { what: string; error: unknown; onRetry: () => void; retrying?: boolean }) {
  return (
    <div role="alert" className="flex flex-wrap items-center justify-between gap-3 rounded-xl bg-red-50 px-4 py-3 text-sm text-red-800 ring-1 ring-inset ring-red-200 dark:bg-red-950 dark:text-red-100 dark:ring-red-800">
      <p>
        <strong className="font-semibold">Could not load {what}.</strong> {errorMessage(error)}
      </p>
      <Button variant="secondary" size="sm" onClick={onRetry} disabled={retrying}>
        {retrying ? "Retrying…" : "Retry"}
      </Button>
    </div>
  );
}

/** Placeholder lines in the shape of what is coming; screen readers hear one "Loading …". */
export function Skeleton({ label, lines = 5, className = "" }: { label: string; lines?: number; className?: string }) {
  return (
    <div role="status" aria-live="polite" className={`space-y-3 rounded-2xl bg-surface p-4 shadow-sm ring-1 ring-line ${className}`}>
      <span className="sr-only">{label}</span>
      {Array.from({ length: lines }, (_, i) => (
        <div key={i} aria-hidden="true" className="flex items-center gap-4">
          <div className="skeleton h-4 w-1/3" />
          <div className="skeleton h-4 w-1/5" />
          <div className="skeleton h-4 flex-1" />
        </div>
      ))}
    </div>
  );
}
