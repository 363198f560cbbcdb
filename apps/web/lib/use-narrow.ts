"use client";

import { useSyncExternalStore } from "react";

/** Below Tailwind's md breakpoint (768 px): lists switch from tables to cards. */
const QUERY = "(max-width: 767.98px)";

function subscribe(onChange: () => void) {
  const media = window.matchMedia(QUERY);
  media.addEventListener("change", onChange);
  return () => media.removeEventListener("change", onChange);
}

export function useNarrowScreen(): boolean {
  return useSyncExternalStore(
    subscribe,
    () => window.matchMedia(QUERY).matches,
    // The server cannot know the screen; lists render on the client, after their data, anyway.
    () => false,
  );
}
