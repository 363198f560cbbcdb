"use client";

import { useState } from "react";
import { toast } from "sonner";
import { Button, Field } from "../ui";

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
      <div role="alert" className="rounded-lg bg-amber-50 px-3 py-2 text-sm text-amber-800 ring-1 ring-inset ring-amber-300">
        Copy this signing secret now. It will not be shown again: your receiver verifies the webhook-signature header with it.
      </div>
      <Field id="webhook-secret" label="Signing secret">
        <div className="flex gap-2">
          <input
            id="webhook-secret"
            readOnly
            value={secret}
            onFocus={(e) => e.target.select()}
            className="block w-full rounded-lg border-0 bg-slate-50 px-3 py-2 font-mono text-xs text-slate-800 ring-1 ring-inset ring-slate-300"
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
