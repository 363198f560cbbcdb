"use client";

import { createContext, useContext, useRef, useState, type ReactNode } from "react";
import { useRouter } from "next/navigation";
import { useQueryClient } from "@tanstack/react-query";
import { useTRPC } from "@/lib/trpc";
import { formatDate } from "@/lib/format";
import { Modal } from "../modal";
import { TokenReveal, useRevealGuard } from "./token-reveal";

/** A rotation's result, to be shown once. */
export interface Rotated {
  token: string;
  id: string;
  description: string;
  /** When the old token stops, its expiry, and the overlap asked for (null: none). */
  oldStopsAt: string;
  oldExpiresAt: string;
  overlap: string | null;
}

const ShowRotated = createContext<((rotated: Rotated) => void) | null>(null);

/** What became of the old token, in one sentence. */
function oldTokenFate({ oldStopsAt, oldExpiresAt, overlap }: Rotated): string {
  if (overlap === null) return "The old token stopped working now.";
  if (oldStopsAt >= oldExpiresAt) return `The old token keeps working until it expires, ${formatDate(oldStopsAt)}: that comes before the ${overlap} you asked for ended.`;
  return `The old token keeps working for ${overlap}, until ${formatDate(oldStopsAt)}.`;
}

/**
 * The reveal of a rotated token belongs to the page, not to the row that asked for it: the old
 * token's row may leave the list at any refetch, and a dialog inside it would take the token shown
 * once with it. Once closed, the user is taken to the new token's page.
 */
export function RotationRevealHost({ children }: { children: ReactNode }) {
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const [rotated, setRotated] = useState<Rotated | null>(null);
  const [open, setOpen] = useState(false);
  const closing = useRef<Rotated | null>(null);
  const guard = useRevealGuard();

  const show = (next: Rotated) => {
    guard.setAsking(false);
    setRotated(next);
    setOpen(true);
  };
  const close = () => {
    closing.current = rotated;
    guard.setAsking(false);
    setOpen(false);
  };

  return (
    <ShowRotated.Provider value={show}>
      {children}
      <Modal
        open={open}
        onOpenChange={(value) => (value ? setOpen(true) : close())}
        title="Token rotated"
        description={rotated ? `The replacement for “${rotated.description}” has the same description, endpoints, limits and lifetime. ${oldTokenFate(rotated)}` : undefined}
        keepOnOutsideClick
        onEscapeKeyDown={guard.guardEscape(true)}
        onCloseAutoFocus={(event) => {
          event.preventDefault();
          const done = closing.current;
          closing.current = null;
          setRotated(null);
          // Only now is anything refreshed: the plaintext is gone from memory with the dialog.
          void queryClient.invalidateQueries(trpc.token.pathFilter());
          if (done) router.push(`/tokens/${done.id}`);
        }}
      >
        {rotated && <TokenReveal token={rotated.token} onDone={close} asking={guard.asking} onKeep={() => guard.setAsking(false)} />}
      </Modal>
    </ShowRotated.Provider>
  );
}

export function useShowRotated(): (rotated: Rotated) => void {
  const show = useContext(ShowRotated);
  if (!show) throw new Error("useShowRotated needs a RotationRevealHost above it");
  return show;
}
