"use client";

import { useState, type FormEvent } from "react";
import * as Dialog from "@radix-ui/react-dialog";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { TRPCClientError } from "@trpc/client";
import { toast } from "sonner";
import { parseLifetime } from "@tokensmith/core/lifetime";
import { useTRPC } from "@/lib/trpc";
import { errorMessage } from "@/lib/errors";
import { Button, Field, TextInput, inputClass } from "../ui";
import { TokenReveal } from "./token-reveal";

const PRESETS = ["1 hour", "1 day", "7 days", "30 days", "90 days"] as const;
const CUSTOM = "custom";

type Errors = { description?: string; life?: string };

/** Which field a server-side BAD_REQUEST belongs to: zod names its path; lifetime rules come from core. */
function fieldErrors(error: unknown): Errors {
  if (!(error instanceof TRPCClientError) || error.data?.code !== "BAD_REQUEST") return {};
  const issues = (error.data as { issues?: { path: (string | number)[]; message: string }[] }).issues;
  if (issues?.length) {
    const errors: Errors = {};
    for (const issue of issues) errors[issue.path[0] === "description" ? "description" : "life"] = issue.message;
    return errors;
  }
  return { life: error.message };
}

export function NewTokenDialog() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [open, setOpen] = useState(false);
  const [description, setDescription] = useState("");
  const [preset, setPreset] = useState<string>("1 day");
  const [custom, setCustom] = useState("");
  const [errors, setErrors] = useState<Errors>({});
  // The plaintext token lives only here, in memory, until the dialog closes.
  const [revealed, setRevealed] = useState<{ token: string; description: string } | null>(null);

  const create = useMutation(
    trpc.token.create.mutationOptions({
      gcTime: 0,
      onSuccess: async (created) => {
        setRevealed({ token: created.token, description: created.description });
        toast.success(`Token “${created.description}” created`);
        await queryClient.invalidateQueries({ queryKey: trpc.token.list.queryKey() });
      },
      onError: (error) => {
        const byField = fieldErrors(error);
        setErrors(byField);
        if (!byField.description && !byField.life) toast.error(`Could not create the token: ${errorMessage(error)}`);
      },
    }),
  );

  function reset() {
    setDescription("");
    setPreset("1 day");
    setCustom("");
    setErrors({});
    setRevealed(null);
    create.reset();
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    const life = preset === CUSTOM ? custom : preset;
    const next: Errors = {};
    if (description.trim() === "") next.description = "Give the token a description.";
    const parsed = parseLifetime(life);
    if (!parsed.ok) next.life = parsed.message;
    setErrors(next);
    if (next.description || next.life) return;
    create.mutate({ description, life });
  }

  return (
    <Dialog.Root
      open={open}
      onOpenChange={(value) => {
        setOpen(value);
        if (!value) reset();
      }}
    >
      <Dialog.Trigger asChild>
        <Button>New token</Button>
      </Dialog.Trigger>
      <Dialog.Portal>
        <Dialog.Overlay className="fixed inset-0 bg-slate-900/40" />
        <Dialog.Content
          className="fixed left-1/2 top-1/2 w-[min(32rem,calc(100vw-2rem))] -translate-x-1/2 -translate-y-1/2 rounded-2xl bg-white p-6 shadow-xl"
          // Once the token is shown, a stray click outside must not throw it away.
          onPointerDownOutside={(event) => revealed && event.preventDefault()}
        >
          {revealed ? (
            <TokenReveal token={revealed.token} description={revealed.description} onDone={() => { setOpen(false); reset(); }} />
          ) : (
            <form onSubmit={submit} className="space-y-5" noValidate>
              <div>
                <Dialog.Title className="text-lg font-semibold">New token</Dialog.Title>
                <Dialog.Description className="mt-1 text-sm text-slate-500">
                  The token is shown once, right after you create it.
                </Dialog.Description>
              </div>
              <Field id="token-description" label="Description" error={errors.description}>
                <TextInput
                  id="token-description"
                  value={description}
                  maxLength={200}
                  placeholder="e.g. CI deploys"
                  aria-invalid={Boolean(errors.description)}
                  aria-describedby={errors.description ? "token-description-error" : undefined}
                  onChange={(e) => setDescription(e.target.value)}
                  autoFocus
                />
              </Field>
              <Field id="token-life" label="Lifetime" error={preset === CUSTOM ? undefined : errors.life}>
                <select id="token-life" className={inputClass} value={preset} onChange={(e) => setPreset(e.target.value)}>
                  {PRESETS.map((p) => (
                    <option key={p} value={p}>
                      {p}
                    </option>
                  ))}
                  <option value={CUSTOM}>Custom…</option>
                </select>
              </Field>
              {preset === CUSTOM && (
                <Field
                  id="token-life-custom"
                  label="Custom lifetime"
                  hint={'A number and a unit: "6 minutes", "3 weeks", "2h". A month is 30 days.'}
                  error={errors.life}
                >
                  <TextInput
                    id="token-life-custom"
                    value={custom}
                    placeholder="e.g. 6 minutes"
                    aria-invalid={Boolean(errors.life)}
                    aria-describedby={errors.life ? "token-life-custom-error" : undefined}
                    onChange={(e) => setCustom(e.target.value)}
                  />
                </Field>
              )}
              <div className="flex justify-end gap-3 pt-2">
                <Dialog.Close asChild>
                  <Button variant="secondary">Cancel</Button>
                </Dialog.Close>
                <Button type="submit" disabled={create.isPending}>
                  {create.isPending ? "Creating…" : "Create"}
                </Button>
              </div>
            </form>
          )}
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}
