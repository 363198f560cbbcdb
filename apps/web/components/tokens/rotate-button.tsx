"use client";

import { useEffect, useRef, useState } from "react";
import { useMutation } from "@tanstack/react-query";
import { toast } from "sonner";
import type { TokenView } from "@tokensmith/api";
import { parseLifetime } from "@tokensmith/core/lifetime";
import { useTRPC } from "@/lib/trpc";
import { errorMessage } from "@/lib/errors";
import { clockNow } from "@/lib/clock";
import { formatRemaining } from "@/lib/format";
import { Button, type ButtonSize } from "../ui";
import { Modal, ModalActions } from "../modal";
import { useShowRotated } from "./rotation-reveal";
import { tokenName } from "./token-bits";
import { RotationPolicyNote, useTokenPolicy } from "./policy-note";

const NOW = "now";
/** The safe default first: an overlap long enough to move a job over, short enough to matter. */
const OVERLAPS = ["10 minutes", "1 hour", "1 day", NOW] as const;
type Overlap = (typeof OVERLAPS)[number];

export const STOP_NOW_CONSEQUENCE =
  "Anything still using it — a forgotten cron job, another server — gets 401, and its first try counts as reuse of a rotated token: the new token is revoked too, with everything the old one created.";

/** Said beside an overlap the token's own expiry would cut short. */
function cutShort(token: Pick<TokenView, "expiresAt">, overlap: Overlap): string | null {
  if (overlap === NOW) return null;
  const parsed = parseLifetime(overlap);
  const left = (Date.parse(token.expiresAt) - clockNow()) / 1000;
  return parsed.ok && parsed.seconds > left ? `It expires in ${formatRemaining(left)}, before that: it stops then.` : null;
}

/**
 * Replace a token with a fresh one. The old one keeps working for a short overlap by default:
 * stopping it now is a choice, with its consequence written beside it. The new one is shown once
 * by the page's RotationRevealHost, which then takes the user to the new token's page.
 */
export function RotateButton({ token, size = "sm" }: { token: Pick<TokenView, "id" | "description" | "expiresAt">; size?: ButtonSize }) {
  const trpc = useTRPC();
  const showRotated = useShowRotated();
  const [open, setOpen] = useState(false);
  const [overlap, setOverlap] = useState<Overlap>(OVERLAPS[0]);
  // Set when this dialog closes because the reveal takes over: focus is the reveal's then.
  const handedOver = useRef(false);
  // An administrator's policy may forbid an overlap: then only "Stop it now" can be chosen.
  const policy = useTokenPolicy(undefined, open);
  const noOverlap = policy?.allowRotationOverlap === false;
  useEffect(() => {
    if (noOverlap) setOverlap(NOW);
  }, [noOverlap]);
  const reset = () => {
    setOverlap(noOverlap ? NOW : OVERLAPS[0]);
    rotate.reset();
  };
  const rotate = useMutation(
    trpc.token.rotate.mutationOptions({
      gcTime: 0,
      onSuccess: (result, input) => {
        handedOver.current = true;
        setOpen(false);
        reset();
        showRotated({ token: result.token, id: result.id, description: token.description, oldStopsAt: result.oldTokenStopsAt, oldExpiresAt: token.expiresAt, overlap: input.overlap ?? null });
        toast.success(`Token “${token.description}” rotated`);
      },
      onError: (error) => toast.error(`Could not rotate the token. ${errorMessage(error)}`),
    }),
  );
  const name = `overlap-${token.id}`;
  return (
    <Modal
      open={open}
      onOpenChange={(value) => {
        setOpen(value);
        if (!value) reset();
      }}
      trigger={
        <Button variant="secondary" size={size} aria-label={`Rotate ${tokenName(token)}`}>
          Rotate
        </Button>
      }
      title="Rotate this token?"
      description={`“${token.description}” is replaced by a new token with the same description, endpoints, limits and lifetime, shown once.`}
      onCloseAutoFocus={(event) => {
        if (!handedOver.current) return;
        handedOver.current = false;
        event.preventDefault();
      }}
    >
      <div className="space-y-5">
        <RotationPolicyNote policy={policy} />
        <fieldset className="space-y-2">
          <legend className="mb-1 text-sm font-medium text-fg">The old token</legend>
          {OVERLAPS.map((choice) => {
            const id = `${name}-${choice.replace(/\s/g, "-")}`;
            const note = choice === NOW ? STOP_NOW_CONSEQUENCE : choice === OVERLAPS[0] ? "Time to move everything that uses it to the new token." : null;
            const short = cutShort(token, choice);
            return (
              <div key={choice} className={`rounded-lg px-3 py-2 ring-1 ring-inset ${overlap === choice ? "bg-indigo-50 ring-indigo-300 dark:bg-indigo-950 dark:ring-indigo-700" : "ring-line"}`}>
                <label htmlFor={id} className="flex items-center gap-2 text-sm font-medium">
                  <input id={id} type="radio" name={name} checked={overlap === choice} disabled={noOverlap && choice !== NOW} onChange={() => setOverlap(choice)} aria-describedby={note || short ? `${id}-note` : undefined} />
                  {choice === NOW ? "Stop it now" : `Keep it working for ${choice}`}
                  {choice === OVERLAPS[0] && <span className="text-xs font-normal text-fg-muted">(recommended)</span>}
                </label>
                {(note || short) && (
                  <p id={`${id}-note`} className={`mt-1 pl-6 text-xs ${choice === NOW ? "text-amber-900 dark:text-amber-200" : "text-fg-muted"}`}>
                    {[note, short].filter(Boolean).join(" ")}
                  </p>
                )}
              </div>
            );
          })}
        </fieldset>
        <p className="text-xs text-fg-muted">Used after it stops, the old token counts as a stolen copy: both tokens are revoked, and each says why.</p>
        <ModalActions label="Rotate token" pendingLabel="Rotating…" pending={rotate.isPending} onAction={() => rotate.mutate({ id: token.id, overlap: overlap === NOW ? undefined : overlap })} />
      </div>
    </Modal>
  );
}
