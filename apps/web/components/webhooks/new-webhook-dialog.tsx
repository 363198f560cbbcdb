"use client";

import { useState, type FormEvent } from "react";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useTRPC } from "@/lib/trpc";
import { errorMessage } from "@/lib/errors";
import { Button, Field, TextInput } from "../ui";
import { DialogClose, Modal } from "../modal";
import { SecretReveal } from "./secret-reveal";

export const EVENT_TYPES = [
  { type: "token.created", label: "Token created" },
  { type: "token.rotated", label: "Token rotated" },
  { type: "token.revoked", label: "Token revoked" },
  { type: "token.reuse_detected", label: "Reuse detected (a rotated token was presented again)" },
  { type: "token.expiring", label: "Token expiring (7 days and 1 day before)" },
] as const;
type EventType = (typeof EVENT_TYPES)[number]["type"];

export function NewWebhookDialog({ isAdmin }: { isAdmin: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [open, setOpen] = useState(false);
  const [url, setUrl] = useState("");
  const [events, setEvents] = useState<EventType[]>(["token.created", "token.revoked"]);
  const [allUsers, setAllUsers] = useState(false);
  const create = useMutation(
    trpc.webhook.create.mutationOptions({
      onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.webhook.list.queryKey() }),
    }),
  );
  // The URL's refusal (by the address rules) belongs under the field: it names the setting that would allow it.
  const urlError = create.error?.message.startsWith("url: ") ? create.error.message.slice("url: ".length) : null;
  const toggle = (type: EventType, on: boolean) => setEvents((current) => (on ? [...current, type] : current.filter((t) => t !== type)));

  function submit(event: FormEvent) {
    event.preventDefault();
    create.mutate({ url: url.trim(), events, scope: allUsers ? "all" : "own" });
  }
  function close() {
    setOpen(false);
    setUrl("");
    setAllUsers(false);
    create.reset();
  }
  return (
    <Modal
      open={open}
      onOpenChange={(value) => (value ? setOpen(true) : close())}
      trigger={<Button>New webhook</Button>}
      title={create.data ? "Webhook created" : "New webhook"}
      description={create.data ? create.data.url : "Tokensmith POSTs signed events (Standard Webhooks) to this URL."}
      keepOnOutsideClick={Boolean(create.data)}
    >
      {create.data ? (
        <SecretReveal secret={create.data.secret} onDone={close} />
      ) : (
        <form onSubmit={submit} className="space-y-5" noValidate>
          {create.error && !urlError && <p role="alert" className="text-sm text-red-700 dark:text-red-300">{errorMessage(create.error)}</p>}
          <Field
            id="webhook-url"
            label="Endpoint URL"
            hint="https://. A receiver on your own network (http://, a private address) needs WEBHOOK_ALLOW_PRIVATE=1 on the server."
            error={urlError}
          >
            <TextInput
              id="webhook-url"
              type="url"
              value={url}
              onChange={(e) => setUrl(e.target.value)}
              placeholder="https://hooks.example.com/tokensmith"
              aria-invalid={Boolean(urlError)}
              aria-describedby={urlError ? "webhook-url-error" : undefined}
              autoFocus
            />
          </Field>
          <fieldset className="space-y-2">
            <legend className="text-sm font-medium text-fg">Events</legend>
            {EVENT_TYPES.map(({ type, label }) => (
              <label key={type} className="flex items-center gap-2 text-sm">
                <input type="checkbox" checked={events.includes(type)} onChange={(e) => toggle(type, e.target.checked)} />
                {label}
              </label>
            ))}
          </fieldset>
          {isAdmin && (
            <label className="flex items-center gap-2 text-sm">
              <input type="checkbox" checked={allUsers} onChange={(e) => setAllUsers(e.target.checked)} />
              Every user&apos;s tokens (admin-wide)
            </label>
          )}
          <div className="flex justify-end gap-3">
            <DialogClose asChild>
              <Button variant="secondary">Cancel</Button>
            </DialogClose>
            <Button type="submit" disabled={create.isPending}>{create.isPending ? "Creating…" : "Create webhook"}</Button>
          </div>
        </form>
      )}
    </Modal>
  );
}
