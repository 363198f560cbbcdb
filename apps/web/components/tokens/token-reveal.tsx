"use client";

import { useState } from "react";
import { toast } from "sonner";
import { Button, Field, Notice } from "../ui";
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

/** The token, shown this once, with Copy; the dialog around it decides the title. */
export function TokenReveal({ token, onDone, asking, onKeep }: { token: string; onDone: () => void; asking: boolean; onKeep: () => void }) {
  const [copied, setCopied] = useState(false);

  async function copy() {
    try {
      await navigator.clipboard.writeText(token);
      setCopied(true);
      toast.success("Token copied to the clipboard");
    } catch {
      toast.error("Could not copy: select the token and copy it by hand");
    }
  }

  return (
    <div className="space-y-5">
      <Notice tone="amber">Copy this token now. It will not be shown again: Tokensmith keeps only its hash.</Notice>
      <Field id="new-token" label="Your new token">
        <div className="flex gap-2">
          <input
            id="new-token"
            readOnly
            value={token}
            onFocus={(e) => e.target.select()}
            className="block w-full min-w-0 rounded-lg border-0 bg-sunken px-3 py-2 font-mono text-xs text-fg ring-1 ring-inset ring-line-strong"
          />
          <Button variant="secondary" onClick={copy}>
            {copied ? "Copied" : "Copy"}
          </Button>
        </div>
      </Field>
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
