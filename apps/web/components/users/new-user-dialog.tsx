"use client";

import { useState, type FormEvent } from "react";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { toast } from "sonner";
import { useTRPC } from "@/lib/trpc";
import { errorMessage } from "@/lib/errors";
import { Button, Field, Notice, TextInput } from "../ui";
import { Modal, ModalActions } from "../modal";

export function NewUserDialog() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [open, setOpen] = useState(false);
  const [username, setUsername] = useState("");
  const [password, setPassword] = useState("");
  const [isAdmin, setIsAdmin] = useState(false);
  const create = useMutation(
    trpc.user.create.mutationOptions({
      onSuccess: async (user) => {
        toast.success(`User ${user.username} created`);
        setOpen(false);
        setUsername("");
        setPassword("");
        setIsAdmin(false);
        await queryClient.invalidateQueries({ queryKey: trpc.user.list.queryKey() });
      },
    }),
  );
  function submit(event: FormEvent) {
    event.preventDefault();
    create.mutate({ username, password, isAdmin });
  }
  return (
    <Modal
      open={open}
      onOpenChange={(value) => {
        setOpen(value);
        if (!value) create.reset();
      }}
      trigger={<Button>New user</Button>}
      title="New user"
      description="They sign in with this username and password, and see only their own tokens."
    >
      <form onSubmit={submit} className="space-y-5" noValidate>
        {create.error && <Notice>{errorMessage(create.error)}</Notice>}
        <Field id="new-username" label="Username">
          <TextInput id="new-username" value={username} onChange={(e) => setUsername(e.target.value)} autoComplete="off" autoFocus />
        </Field>
        <Field id="new-password" label="Password" hint="At least 8 characters.">
          <TextInput id="new-password" type="password" value={password} onChange={(e) => setPassword(e.target.value)} autoComplete="new-password" />
        </Field>
        <label className="flex items-center gap-2 text-sm">
          <input type="checkbox" checked={isAdmin} onChange={(e) => setIsAdmin(e.target.checked)} />
          Administrator (may manage users and see all activity)
        </label>
        <ModalActions label="Create user" pendingLabel="Creating…" pending={create.isPending} />
      </form>
    </Modal>
  );
}
