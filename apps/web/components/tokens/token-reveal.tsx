"use client";

import { useState, type ReactNode } from "react";
import { toast } from "sonner";
import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "@/lib/trpc";
import { tryItCommand } from "@/lib/try-it";
import { Button, Field, linkClass, Notice } from "../ui";
import { modalFooterClass } from "../modal";

/**
 * Escape must not throw away a token shown once: while one is shown, Escape asks first. The
 * dialog calls `guardEscape` from its onEscapeKeyDown; TokenReveal shows the question.
 */
export function useRevealGuard() {
  const [asking, setAsking] = useState(false);
  return {
    asking,
    setAsking,
    guardEscape: (revealed: boolean) => (event: KeyboardEvent) => {
      if (!revealed) return;
      event.preventDefault();
      setAsking((now) => !now);
    },
  };
}

/** A read-only field with a Copy button: the token itself, or the command that uses it. */
function CopyField({ id, label, value, what, hint }: { id: string; label: string; value: string; what: string; hint?: ReactNode }) {
  const [copied, setCopied] = useState(false);
  async function copy() {
    try {
      await navigator.clipboard.writeText(value);
      setCopied(true);
      toast.success(`${what} copied to the clipboard`);
    } catch {
      toast.error(`Could not copy: select the ${what.toLowerCase()} and copy it by hand`);
    }
  }
  return (
    <Field id={id} label={label} hint={hint}>
      <div className="flex gap-2">
        <input
          id={id}
          readOnly
          value={value}
          onFocus={(e) => e.target.select()}
          className="block w-full min-w-0 rounded-lg border-0 bg-sunken px-3 py-2 font-mono text-xs text-fg ring-1 ring-inset ring-line-strong"
        />
        <Button variant="secondary" onClick={copy} aria-label={`${copied ? "Copied" : "Copy"} ${what.toLowerCase()}`}>
          {copied ? "Copied" : "Copy"}
        </Button>
      </div>
    </Field>
  );
}

/** How to use a token: a request that shows it works, and where protecting an API is explained. */
function TryIt({ token }: { token: string }) {
  const trpc = useTRPC();
  const headerSet = useQuery(trpc.auth.forwardAuthHeaders.queryOptions(undefined, { staleTime: Infinity })).data?.headers ?? "original";
  const origin = typeof window === "undefined" ? "" : window.location.origin;
  const { command, hint } = tryItCommand(token, origin, headerSet);
  return (
    <div className="space-y-3 rounded-lg bg-sunken/60 p-3 ring-1 ring-inset ring-line">
      <CopyField id="try-token" label="Try it" what="Command" value={command} hint={hint} />
      <p className="text-xs text-fg-muted">
        To protect your own API with it: let nginx, Caddy or Traefik ask Tokensmith (forward auth), verify it in Node with{" "}
        <code>@tokensmith/verify</code>, or ask <code>/v1alpha/introspect</code>.{" "}
        <a className={linkClass} href="/docs#tag/verification">
          Protect your API
        </a>{" "}
        ·{" "}
        <a className={linkClass} href="/docs">
          API reference
        </a>
      </p>
    </div>
  );
}

/** The token, shown this once, with Copy and how to use it; the dialog around it decides the title. */
export function TokenReveal({ token, onDone, asking, onKeep }: { token: string; onDone: () => void; asking: boolean; onKeep: () => void }) {
  return (
    <div className="space-y-5">
      <Notice tone="amber">Copy this token now. It will not be shown again: Tokensmith keeps only its hash.</Notice>
      <CopyField id="new-token" label="Your new token" what="Token" value={token} />
      <TryIt token={token} />
      {asking ? (
        <div className={modalFooterClass} role="group" aria-labelledby="discard-question">
          <p id="discard-question" className="mr-auto self-center text-sm font-medium">
            Close without the token? It cannot be shown again.
          </p>
          <Button variant="secondary" onClick={onKeep} autoFocus>
            Keep it open
          </Button>
          <Button variant="danger" onClick={onDone}>
            Discard token
          </Button>
        </div>
      ) : (
        <div className={modalFooterClass}>
          <Button onClick={onDone}>Done</Button>
        </div>
      )}
    </div>
  );
}
