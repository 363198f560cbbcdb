"use client";

import { useCallback } from "react";
import { usePathname, useSearchParams } from "next/navigation";

/**
 * A page's view kept in its URL. The History API is used directly: Next syncs useSearchParams
 * with it, and no server round trip is made for a change that only the client renders. A new view
 * is pushed (back returns to the previous one); typing replaces, so back does not replay keystrokes.
 */
export type ViewChange<T> = T | ((latest: T) => T);

export function useUrlState<T>(read: (params: URLSearchParams) => T, write: (view: T) => URLSearchParams) {
  const params = useSearchParams();
  const pathname = usePathname();
  const view = read(new URLSearchParams(params.toString()));
  const setView = useCallback(
    (change: ViewChange<T>, mode: "push" | "replace" = "push") => {
      // An updater builds on the URL as last written. useSearchParams catches up with it only on
      // the next render: a change made in between (clearing the search, then at once picking a
      // filter) built on the render's view would bring back what the first change removed.
      const next = typeof change === "function" ? (change as (latest: T) => T)(read(new URLSearchParams(window.location.search))) : change;
      const query = write(next).toString();
      const url = query ? `${pathname}?${query}` : pathname;
      if (url === `${window.location.pathname}${window.location.search}`) return;
      if (mode === "push") window.history.pushState(null, "", url);
      else window.history.replaceState(null, "", url);
    },
    [pathname, read, write],
  );
  return [view, setView] as const;
}
