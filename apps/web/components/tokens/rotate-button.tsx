"use client";

import { useState } from "react";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { toast } from "sonner";
import { useTRPC } from "@/lib/trpc";
import { errorMessage } from "@/lib/errors";
import { Button, Field, Select } from "../ui";
import { DialogClose, Modal, modalFooterClass } from "../modal";
import { TokenReveal, useRevealGuard } from "./token-reveal";
import { tokenName } from "./token-bits";

const OVERLAPS = [
  ["", "Stop the old token now"],
  ["10 minutes", "Keep it working for 10 minutes"],
  ["1 hour", "Keep it working for 1 hour"],
  ["1 day", "Keep it working for 1 day"],
] as const;

/**
 * Replace a token with a fresh one; the new one is shown once, like a created token. `afterDone`
 * gets the new id once the reveal is closed, and moves focus (the old row may be gone by then).
 */
export function RotateButton({
  token,
  afterDone,
  size = "sm",
}: {
  token: { id: string; description: string };
  afterDone: (newId: string) => void;
  size?: "sm" | "md";
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [open, setOpen] = useState(false);
  const [overlap, setOverlap] = useState("");
  const [rotated, setRotated] = useState<{ token: string; id: string } | null>(null);
  const guard = useRevealGuard();
  const rotate = useMutation(
    trpc.token.rotate.mutationOptions({
      gcTime: 0,
      // The list is refreshed only when the reveal closes: refreshing now could drop the old
      // token's row, and with it this dialog and the new token shown once.
      onSuccess: (result) => {
        setRotated({ token: result.token, id: result.id });
        toast.success(`Token “${token.description}” rotated`);
      },
      onError: (error) => toast.error(`Could not rotate the token. ${errorMessage(error)}`),
    }),
  );
  const close = () => {
    setOpen(false);
    setOverlap("");
    guard.setAsking(false);
    rotate.reset();
  };
  const overlapId = `overlap-${token.id}`;
  return (
    <Modal
      open={open}
      onOpenChange={(value) => (value ? setOpen(true) : close())}
      trigger={
        <Button variant="secondary" size={size} aria-label={`Rotate ${tokenName(token)}`}>
          Rotate
        </Button>
      }
      title={rotated ? "Token rotated" : "Rotate this token?"}
      description={
        rotated
          ? `The replacement for “${token.description}” has the same description, endpoints and lifetime.`
          : `“${token.description}” is replaced by a new token. Using the old one after it stops revokes both.`
      }
      keepOnOutsideClick={Boolean(rotated)}
      onEscapeKeyDown={guard.guardEscape(Boolean(rotated))}
      onCloseAutoFocus={(event) => {
        if (!rotated) return;
        event.preventDefault();
        const newId = rotated.id;
        setRotated(null);
        afterDone(newId);
        void queryClient.invalidateQueries(trpc.token.pathFilter());
      }}
    >
      {rotated ? (
        <TokenReveal token={rotated.token} onDone={close} asking={guard.asking} onKeep={() => guard.setAsking(false)} />
      ) : (
        <div className="space-y-5">
          <Field id={overlapId} label="Old token">
            <Select id={overlapId} value={overlap} onChange={(e) => setOverlap(e.target.value)}>
              {OVERLAPS.map(([value, label]) => (
                <option key={value} value={value}>
                  {label}
                </option>
              ))}
            </Select>
          </Field>
          <div className={modalFooterClass}>
            <DialogClose asChild>
              <Button variant="secondary">Cancel</Button>
            </DialogClose>
            <Button onClick={() => rotate.mutate({ id: token.id, overlap: overlap || undefined })} disabled={rotate.isPending}>
              {rotate.isPending ? "Rotating…" : "Rotate token"}
            </Button>
          </div>
        </div>
      )}
    </Modal>
  );
}
