"use client";

import { useState, type FormEvent } from "react";
import { useMutation } from "@tanstack/react-query";
import { TRPCClientError } from "@trpc/client";
import { toast } from "sonner";
import { useTRPC } from "@/lib/trpc";
import { errorMessage } from "@/lib/errors";
import { Field, TextInput } from "./ui";
import { Modal, ModalActions } from "./modal";

type Errors = Partial<Record<"currentPassword" | "newPassword", string>>;
const LABELS = { currentPassword: "Current password", newPassword: "New password" } as const;

/** The server's refusal, by field: zod's issues ("must be at least 8 characters"), or its own sentence. */
function fieldErrors(error: unknown): Errors {
  if (!(error instanceof TRPCClientError)) return {};
  // Too many wrong guesses: said where the guess was typed, with how long to wait.
  if (error.data?.code === "TOO_MANY_REQUESTS") return { currentPassword: error.message };
  if (error.data?.code !== "BAD_REQUEST") return {};
  const issues = (error.data as { issues?: { path: (string | number)[]; message: string }[] }).issues;
  const errors: Errors = {};
  for (const issue of issues ?? []) {
    const field = issue.path[0] === "currentPassword" ? "currentPassword" : "newPassword";
    errors[field] = `${LABELS[field]} ${issue.message}.`;
  }
  if (!issues?.length) errors[error.message.startsWith("The new password") ? "newPassword" : "currentPassword"] = error.message;
  return errors;
}

/**
 * The signed-in user's own password. Opened from the account menu, but rendered outside it: the
 * menu closes on a click elsewhere, which would take a dialog inside it along.
 */
export function ChangePasswordDialog({ open, onOpenChange }: { open: boolean; onOpenChange: (open: boolean) => void }) {
  const trpc = useTRPC();
  const [current, setCurrent] = useState("");
  const [next, setNext] = useState("");
  const [errors, setErrors] = useState<Errors>({});
  const reset = () => {
    setCurrent("");
    setNext("");
    setErrors({});
  };
  const change = useMutation(
    trpc.auth.changePassword.mutationOptions({
      onSuccess: () => {
        toast.success("Password changed. Your other sessions are signed out.");
        reset();
        onOpenChange(false);
      },
      onError: (error) => {
        const byField = fieldErrors(error);
        setErrors(byField);
        if (Object.keys(byField).length === 0) toast.error(`Could not change the password. ${errorMessage(error)}`);
      },
    }),
  );
  function submit(event: FormEvent) {
    event.preventDefault();
    change.mutate({ currentPassword: current, newPassword: next });
  }
  return (
    <Modal
      open={open}
      onOpenChange={(value) => {
        onOpenChange(value);
        if (!value) reset();
      }}
      title="Change my password"
      description="Your other dashboard sessions end; your tokens keep working."
    >
      <form onSubmit={submit} className="space-y-5" noValidate>
        <Field id="current-password" label="Current password" error={errors.currentPassword}>
          <TextInput id="current-password" type="password" value={current} onChange={(e) => setCurrent(e.target.value)} autoComplete="current-password" autoFocus />
        </Field>
        <Field id="new-password" label="New password" hint="At least 8 characters." error={errors.newPassword}>
          <TextInput id="new-password" type="password" value={next} onChange={(e) => setNext(e.target.value)} autoComplete="new-password" />
        </Field>
        <ModalActions label="Change password" pendingLabel="Saving…" pending={change.isPending} />
      </form>
    </Modal>
  );
}
