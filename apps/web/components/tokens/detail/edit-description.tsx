"use client";

import { useState, type FormEvent } from "react";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { TRPCClientError } from "@trpc/client";
import { toast } from "sonner";
import { useTRPC } from "@/lib/trpc";
import { errorMessage } from "@/lib/errors";
import { Button, Field, TextInput } from "../../ui";
import { DialogClose, Modal, modalFooterClass } from "../../modal";

/** A new description for one of the caller's tokens (audited; the JWT keeps its own). */
export function EditDescriptionButton({ token }: { token: { id: string; description: string } }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [open, setOpen] = useState(false);
  const [value, setValue] = useState(token.description);
  const [error, setError] = useState<string | null>(null);
  const update = useMutation(
    trpc.token.update.mutationOptions({
      onSuccess: async (updated) => {
        setOpen(false);
        toast.success(`Description changed to “${updated.description}”`);
        await queryClient.invalidateQueries(trpc.token.pathFilter());
      },
      onError: (failure) => {
        const isInput = failure instanceof TRPCClientError && failure.data?.code === "BAD_REQUEST";
        if (isInput) setError(failure.message.replace(/^description: /, ""));
        else toast.error(`Could not change the description. ${errorMessage(failure)}`);
      },
    }),
  );
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (value.trim() === "") return setError("Give the token a description.");
    update.mutate({ id: token.id, description: value });
  };
  return (
    <Modal
      open={open}
      onOpenChange={(next) => {
        setOpen(next);
        if (next) setValue(token.description);
        setError(null);
      }}
      trigger={
        <Button variant="secondary" aria-label={`Edit description of ${token.description}`}>
          Edit description
        </Button>
      }
      title="Edit description"
      description="Only the record changes: the token itself keeps working as before. The change is in the token's activity."
    >
      <form onSubmit={submit} className="space-y-5" noValidate>
        <Field id="edit-description" label="Description" error={error}>
          <TextInput
            id="edit-description"
            value={value}
            maxLength={200}
            autoFocus
            aria-invalid={Boolean(error)}
            aria-describedby={error ? "edit-description-error" : undefined}
            onChange={(e) => setValue(e.target.value)}
          />
        </Field>
        <div className={modalFooterClass}>
          <DialogClose asChild>
            <Button variant="secondary">Cancel</Button>
          </DialogClose>
          <Button type="submit" disabled={update.isPending}>
            {update.isPending ? "Saving…" : "Save"}
          </Button>
        </div>
      </form>
    </Modal>
  );
}
