"use client";

import { useState } from "react";
import { toast } from "sonner";
import { Button, Field, Notice } from "../ui";

/** The endpoint's signing secret, shown this once, with Copy. */
export function SecretReveal({ secret, onDone }: { secret: string; onDone: () => void }) {
  const [copied, setCopied] = useState(false);

  async function copy() {
    try {
      await navigator.clipboard.writeText(secret);
      setCopied(true);
      toast.success("Secret copied to the clipboard");
    } catch {
      toast.error("Could not copy: select the secret and copy it by hand");
    }
  }

  return (
    <div className="space-y-5">
      <Notice tone="amber">Copy this signing secret now. It will not be shown again: your receiver verifies the webhook-signature header with it.</Notice>
      <Field id="webhook-secret" label="Signing secret">
        <div className="flex gap-2">
          <input
            id="webhook-secret"
            readOnly
            value={secret}
            onFocus={(e) => e.target.select()}
            className="block w-full rounded-lg border-0 bg-sunken px-3 py-2 font-mono text-xs text-fg ring-1 ring-inset ring-line-strong"
          />
          <Button variant="secondary" onClick={copy}>
            {copied ? "Copied" : "Copy"}
          </Button>
        </div>
      </Field>
      <div className="flex justify-end">
        <Button onClick={onDone}>Done</Button>
      </div>
    </div>
  );
}
