"use client";

import { createContext, useContext, useRef, useState, type ReactNode } from "react";
import { useQueryClient } from "@tanstack/react-query";
import { useTRPC } from "@/lib/trpc";
import { Modal } from "../modal";
import { TokenReveal, useRevealGuard } from "./token-reveal";

/** A rotation's result, to be shown once; `afterDone` moves focus once the reveal is closed. */
export interface Rotated {
  token: string;
  id: string;
  description: string;
  afterDone: (newId: string) => void;
}

const ShowRotated = createContext<((rotated: Rotated) => void) | null>(null);

/**
 * The reveal of a rotated token belongs to the page, not to the row that asked for it: the old
 * token's row may leave the list at any refetch (it is revoked now), and a dialog inside it would
 * take the token shown once with it.
 */
export function RotationRevealHost({ children }: { children: ReactNode }) {
  const trpc = useTRPC();
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
        description={rotated ? `The replacement for “${rotated.description}” has the same description, endpoints and lifetime.` : undefined}
        keepOnOutsideClick
        onEscapeKeyDown={guard.guardEscape(true)}
        onCloseAutoFocus={(event) => {
          event.preventDefault();
          const done = closing.current;
          closing.current = null;
          setRotated(null);
          // Only now is the list refreshed: the plaintext is gone from memory with the dialog.
          void queryClient.invalidateQueries(trpc.token.pathFilter());
          done?.afterDone(done.id);
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
