"use client";

import { useCallback } from "react";
import { usePathname, useSearchParams } from "next/navigation";

/**
 * A page's view kept in its URL. The History API is used directly: Next syncs useSearchParams
 * with it, and no server round trip is made for a change that only the client renders. A new view
 * is pushed (back returns to the previous one); typing replaces, so back does not replay keystrokes.
 */
export function useUrlState<T>(read: (params: URLSearchParams) => T, write: (view: T) => URLSearchParams) {
  const params = useSearchParams();
  const pathname = usePathname();
  const view = read(new URLSearchParams(params.toString()));
  const setView = useCallback(
    (next: T, mode: "push" | "replace" = "push") => {
      const query = write(next).toString();
      const url = query ? `${pathname}?${query}` : pathname;
      if (url === `${window.location.pathname}${window.location.search}`) return;
      if (mode === "push") window.history.pushState(null, "", url);
      else window.history.replaceState(null, "", url);
    },
    [pathname, write],
  );
  return [view, setView] as const;
}
