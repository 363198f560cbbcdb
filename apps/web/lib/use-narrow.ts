"use client";

import { useSyncExternalStore } from "react";

/** Below Tailwind's lg breakpoint (1024 px): the token list switches from a table to cards (a table row with its actions needs more). */
const QUERY = "(max-width: 1023.98px)";

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
