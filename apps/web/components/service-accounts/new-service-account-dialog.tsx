"use client";

import { useState, type FormEvent } from "react";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { toast } from "sonner";
import { useTRPC } from "@/lib/trpc";
import { errorMessage } from "@/lib/errors";
import { Button, Field, Notice, TextInput } from "../ui";
import { Modal, ModalActions } from "../modal";

export function NewServiceAccountDialog() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [open, setOpen] = useState(false);
  const [name, setName] = useState("");
  const [description, setDescription] = useState("");
  const create = useMutation(
    trpc.serviceAccount.create.mutationOptions({
      onSuccess: async (account) => {
        toast.success(`Service account ${account.name} created`);
        setOpen(false);
        setName("");
        setDescription("");
        await queryClient.invalidateQueries(trpc.serviceAccount.pathFilter());
        await queryClient.invalidateQueries(trpc.user.list.queryFilter());
      },
    }),
  );
  function submit(event: FormEvent) {
    event.preventDefault();
    create.mutate({ name, description });
  }
  return (
    <Modal
      open={open}
      onOpenChange={(value) => {
        setOpen(value);
        if (!value) create.reset();
      }}
      trigger={<Button>New service account</Button>}
      title="New service account"
      description="It has no password and cannot sign in; administrators and its managers issue its tokens."
    >
      <form onSubmit={submit} className="space-y-5" noValidate>
        {create.error && <Notice>{errorMessage(create.error)}</Notice>}
        <Field id="service-account-name" label="Name" hint="Shares the usernames' rules and namespace, e.g. ci-deployer.">
          <TextInput id="service-account-name" value={name} onChange={(e) => setName(e.target.value)} autoComplete="off" autoFocus />
        </Field>
        <Field id="service-account-description" label="Description" hint="What it is for, up to 500 characters.">
          <TextInput id="service-account-description" value={description} maxLength={500} onChange={(e) => setDescription(e.target.value)} autoComplete="off" />
        </Field>
        <ModalActions label="Create service account" pendingLabel="Creating…" pending={create.isPending} />
      </form>
    </Modal>
  );
}
