"use client";

import { useState, type FormEvent } from "react";
import { useMutation } from "@tanstack/react-query";
import { toast } from "sonner";
import { useTRPC } from "@/lib/trpc";
import { errorMessage } from "@/lib/errors";
import { Button, Field, Notice, TextInput } from "../ui";
import { Modal, ModalActions } from "../modal";

export function ResetPasswordButton({ username }: { username: string }) {
  const trpc = useTRPC();
  const [open, setOpen] = useState(false);
  const [password, setPassword] = useState("");
  const reset = useMutation(
    trpc.user.resetPassword.mutationOptions({
      onSuccess: () => {
        toast.success(`Password of ${username} reset`);
        setOpen(false);
        setPassword("");
      },
    }),
  );
  function submit(event: FormEvent) {
    event.preventDefault();
    reset.mutate({ username, password });
  }
  return (
    <Modal
      open={open}
      onOpenChange={(value) => {
        setOpen(value);
        if (!value) reset.reset();
      }}
      trigger={<Button variant="secondary" size="sm" aria-label={`Reset password of ${username}`}>Reset password</Button>}
      title={`Reset the password of ${username}`}
      description="Their dashboard sessions end; their tokens keep working."
    >
      <form onSubmit={submit} className="space-y-5" noValidate>
        {reset.error && <Notice>{errorMessage(reset.error)}</Notice>}
        <Field id={`reset-${username}`} label="New password" hint="At least 8 characters.">
          <TextInput id={`reset-${username}`} type="password" value={password} onChange={(e) => setPassword(e.target.value)} autoComplete="new-password" autoFocus />
        </Field>
        <ModalActions label="Set password" pendingLabel="Saving…" pending={reset.isPending} />
      </form>
    </Modal>
  );
}
