"use client";

import { useRef, useState } from "react";
import { useMutation } from "@tanstack/react-query";
import { toast } from "sonner";
import { useTRPC } from "@/lib/trpc";
import { errorMessage } from "@/lib/errors";
import { Button, Field, Select } from "../ui";
import { DialogClose, Modal, modalFooterClass } from "../modal";
import { useShowRotated } from "./rotation-reveal";
import { tokenName } from "./token-bits";

const OVERLAPS = [
  ["", "Stop the old token now"],
  ["10 minutes", "Keep it working for 10 minutes"],
  ["1 hour", "Keep it working for 1 hour"],
  ["1 day", "Keep it working for 1 day"],
] as const;

/**
 * Replace a token with a fresh one; the new one is shown once, like a created token, by the page's
 * RotationRevealHost. `afterDone` gets the new id once the reveal is closed, and moves focus (the
 * old row may be gone by then).
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
  const showRotated = useShowRotated();
  const [open, setOpen] = useState(false);
  const [overlap, setOverlap] = useState("");
  // Set when this dialog closes because the reveal takes over: focus is the reveal's then.
  const handedOver = useRef(false);
  const rotate = useMutation(
    trpc.token.rotate.mutationOptions({
      gcTime: 0,
      onSuccess: (result) => {
        handedOver.current = true;
        setOpen(false);
        setOverlap("");
        rotate.reset();
        showRotated({ token: result.token, id: result.id, description: token.description, afterDone });
        toast.success(`Token “${token.description}” rotated`);
      },
      onError: (error) => toast.error(`Could not rotate the token. ${errorMessage(error)}`),
    }),
  );
  const close = () => {
    setOpen(false);
    setOverlap("");
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
      title="Rotate this token?"
      description={`“${token.description}” is replaced by a new token. Using the old one after it stops revokes both.`}
      onCloseAutoFocus={(event) => {
        if (!handedOver.current) return;
        handedOver.current = false;
        event.preventDefault();
      }}
    >
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
    </Modal>
  );
}
