"use client";

import { useEffect, useState } from "react";
import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "./trpc";

export interface Me {
  username: string;
  isAdmin: boolean;
}

/**
 * Who is signed in: the last answer is remembered in this browser, so a failed or slow auth.me
 * never takes the Users link or the name out of the navigation. Only the name and the admin flag
 * are kept — what the page shows anyway; the server still checks every request.
 */
const STORAGE_KEY = "tokensmith.me";

export function rememberMe(me: Me): void {
  try {
    localStorage.setItem(STORAGE_KEY, JSON.stringify({ username: me.username, isAdmin: me.isAdmin }));
  } catch {
    // Storage can be off (private modes): the live answer still works.
  }
}

export function forgetMe(): void {
  try {
    localStorage.removeItem(STORAGE_KEY);
  } catch {
    // As above.
  }
}

function remembered(): Me | null {
  try {
    const value = JSON.parse(localStorage.getItem(STORAGE_KEY) ?? "null") as Me | null;
    return value && typeof value.username === "string" && typeof value.isAdmin === "boolean" ? value : null;
  } catch {
    return null;
  }
}

export function useMe(): { me: Me | null; live: boolean } {
  const trpc = useTRPC();
  const query = useQuery(trpc.auth.me.queryOptions(undefined, { staleTime: 60_000 }));
  // Read after mounting: the server has no storage, and the first render must match its HTML.
  const [stored, setStored] = useState<Me | null>(null);
  useEffect(() => setStored(remembered()), []);
  useEffect(() => {
    if (query.data) rememberMe(query.data);
  }, [query.data]);
  return { me: query.data ?? stored, live: Boolean(query.data) };
}
