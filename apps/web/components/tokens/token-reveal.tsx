"use client";

import { useState } from "react";
import { toast } from "sonner";
import { Button, Field } from "../ui";

/** The token, shown this once, with Copy; the dialog around it decides the title. */
export function TokenReveal({ token, onDone }: { token: string; onDone: () => void }) {
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
      <div role="alert" className="rounded-lg bg-amber-50 px-3 py-2 text-sm text-amber-800 ring-1 ring-inset ring-amber-300">
        Copy this token now. It will not be shown again: Tokensmith keeps only its hash.
      </div>
      <Field id="new-token" label="Your new token">
        <div className="flex gap-2">
          <input
            id="new-token"
            readOnly
            value={token}
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
