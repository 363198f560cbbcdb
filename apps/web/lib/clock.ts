"use client";

import { useSyncExternalStore } from "react";

/**
 * One clock for the whole page: a single timer, ticking on the second, shared by every countdown
 * and badge. It runs at the server's time (the offset comes from the `now` of the last answer), so
 * a badge flips when the server would say so, whatever the client's clock says.
 *
 * Components read it through a selector (useClock), and React re-renders one only when what it
 * selected changed: a "6 d 23 h" countdown re-renders once a minute, not every second.
 */
let offsetMs = 0;
let current = Date.now();
let timer: ReturnType<typeof setTimeout> | undefined;
const listeners = new Set<() => void>();

function tick() {
  current = Date.now() + offsetMs;
  for (const listener of listeners) listener();
  timer = setTimeout(tick, 1000 - (Date.now() % 1000) + 5);
}

function subscribe(listener: () => void) {
  listeners.add(listener);
  if (timer === undefined) timer = setTimeout(tick, 1000 - (Date.now() % 1000) + 5);
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0 && timer !== undefined) {
      clearTimeout(timer);
      timer = undefined;
    }
  };
}

/** Aligns the page's clock with the server's, from an answer's `now` received at `receivedAt` (client time). */
export function syncClock(serverNow: string, receivedAt: number = Date.now()): void {
  const parsed = Date.parse(serverNow);
  if (Number.isFinite(parsed)) offsetMs = parsed - receivedAt;
  current = Date.now() + offsetMs;
}

/** The page clock's time, read once (for event handlers). */
export const clockNow = () => Date.now() + offsetMs;

/** Something derived from the page's clock; the component re-renders only when it changes. */
export function useClock<T extends string | number | boolean | null>(select: (now: number) => T): T {
  return useSyncExternalStore(
    subscribe,
    () => select(current),
    () => select(current),
  );
}
