"use client";

import { useState, type FormEvent } from "react";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { toast } from "sonner";
import { useTRPC } from "@/lib/trpc";
import { errorMessage } from "@/lib/errors";
import { Button, Field, Notice, TextInput } from "../ui";
import { DialogClose, Modal, modalFooterClass } from "../modal";

/**
 * Administrators name the people who may issue tokens for a service account, or take the role
 * away: a removed manager is refused from their next request on (the server reads it each time).
 */
export function ManagersDialog({ account, managers }: { account: string; managers: string[] }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [open, setOpen] = useState(false);
  const [person, setPerson] = useState("");
  const refresh = () => queryClient.invalidateQueries(trpc.serviceAccount.pathFilter());
  const add = useMutation(
    trpc.serviceAccount.addManager.mutationOptions({
      onSuccess: async () => {
        toast.success(`${person.trim()} now manages ${account}`);
        setPerson("");
        await refresh();
      },
    }),
  );
  const remove = useMutation(
    trpc.serviceAccount.removeManager.mutationOptions({
      onSuccess: async (_result, input) => {
        toast.success(`${input.manager} no longer manages ${account}`);
        await refresh();
      },
      onError: (error) => toast.error(`Could not remove the manager. ${errorMessage(error)}`),
    }),
  );
  function submit(event: FormEvent) {
    event.preventDefault();
    add.mutate({ name: account, manager: person.trim() });
  }
  return (
    <Modal
      open={open}
      onOpenChange={(value) => {
        setOpen(value);
        if (!value) add.reset();
      }}
      trigger={
        <Button variant="secondary" size="sm" aria-label={`Managers of ${account}`}>
          Managers
        </Button>
      }
      title={`Managers of ${account}`}
      description="A manager may issue, list and revoke this account's tokens with their password, never with a token."
    >
      <div className="space-y-5">
        {managers.length === 0 ? (
          <p className="text-sm text-fg-muted">No managers: only administrators issue its tokens.</p>
        ) : (
          <ul aria-label="Managers" className="divide-y divide-line rounded-lg ring-1 ring-line">
            {managers.map((manager) => (
              <li key={manager} className="flex items-center justify-between gap-3 px-3 py-2 text-sm">
                <span className="break-all">{manager}</span>
                <Button
                  variant="secondary"
                  size="xs"
                  aria-label={`Remove ${manager}`}
                  disabled={remove.isPending}
                  onClick={() => remove.mutate({ name: account, manager })}
                >
                  Remove
                </Button>
              </li>
            ))}
          </ul>
        )}
        <form onSubmit={submit} className="space-y-3" noValidate>
          {add.error && <Notice>{errorMessage(add.error)}</Notice>}
          <Field id={`manager-${account}`} label="Add a manager" hint="The username of a person (not a service account).">
            <TextInput id={`manager-${account}`} value={person} onChange={(e) => setPerson(e.target.value)} autoComplete="off" />
          </Field>
          <div className={modalFooterClass}>
            <DialogClose asChild>
              <Button variant="secondary">Done</Button>
            </DialogClose>
            <Button type="submit" disabled={add.isPending || person.trim() === ""}>
              {add.isPending ? "Adding…" : "Add manager"}
            </Button>
          </div>
        </form>
      </div>
    </Modal>
  );
}
