"use client";

import { useState } from "react";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { toast } from "sonner";
import { useTRPC } from "@/lib/trpc";
import { errorMessage } from "@/lib/errors";
import { Button, Field, inputClass } from "../ui";
import { DialogClose, Modal } from "../modal";
import { TokenReveal } from "./token-reveal";

const OVERLAPS = [
  ["", "Stop the old token now"],
  ["10 minutes", "Keep it working for 10 minutes"],
  ["1 hour", "Keep it working for 1 hour"],
  ["1 day", "Keep it working for 1 day"],
] as const;

/** Replace a token with a fresh one; the new one is shown once, like a created token. */
export function RotateButton({ id, description }: { id: string; description: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [open, setOpen] = useState(false);
  const [overlap, setOverlap] = useState("");
  const [token, setToken] = useState<string | null>(null);
  const rotate = useMutation(
    trpc.token.rotate.mutationOptions({
      gcTime: 0,
      // The list is refreshed only when the reveal closes: refreshing now would drop the old token's
      // row, and with it this dialog and the new token shown once.
      onSuccess: (rotated) => {
        setToken(rotated.token);
        toast.success(`Token “${description}” rotated`);
      },
      onError: (error) => toast.error(`Could not rotate: ${errorMessage(error)}`),
    }),
  );
  const close = () => {
    const rotated = token !== null;
    setOpen(false);
    setToken(null);
    setOverlap("");
    rotate.reset();
    if (rotated) void queryClient.invalidateQueries({ queryKey: trpc.token.list.queryKey() });
  };
  return (
    <Modal
      open={open}
      onOpenChange={(value) => (value ? setOpen(true) : close())}
      trigger={<Button variant="secondary" size="sm" aria-label={`Rotate ${description}`}>Rotate</Button>}
      title={token ? "Token rotated" : "Rotate this token?"}
      description={
        token
          ? `The replacement for “${description}” has the same description, endpoints and lifetime.`
          : `“${description}” is replaced by a new token. Using the old one after it stops revokes both.`
      }
      keepOnOutsideClick={Boolean(token)}
    >
      {token ? (
        <TokenReveal token={token} onDone={close} />
      ) : (
        <div className="space-y-5">
          <Field id={`overlap-${id}`} label="Old token">
            <select id={`overlap-${id}`} className={inputClass} value={overlap} onChange={(e) => setOverlap(e.target.value)}>
              {OVERLAPS.map(([value, label]) => (
                <option key={value} value={value}>
                  {label}
                </option>
              ))}
            </select>
          </Field>
          <div className="flex justify-end gap-3">
            <DialogClose asChild>
              <Button variant="secondary">Cancel</Button>
            </DialogClose>
            <Button onClick={() => rotate.mutate({ id, overlap: overlap || undefined })} disabled={rotate.isPending}>
              {rotate.isPending ? "Rotating…" : "Rotate token"}
            </Button>
          </div>
        </div>
      )}
    </Modal>
  );
}
