"use client";

import { useRef, useState, type ReactNode } from "react";
import * as AlertDialog from "@radix-ui/react-alert-dialog";
import { Button, type ButtonSize, type ButtonVariant } from "./ui";
import { overlayClass, panelClass } from "./modal";

/** A destructive action behind an alert dialog: Cancel is the default, the action says what it does. */
export function ConfirmButton({
  label,
  ariaLabel,
  title,
  description,
  confirmLabel,
  pending,
  onConfirm,
  afterConfirm,
  variant = "secondary",
  size = "sm",
  disabled,
}: {
  label: string;
  /** A fuller name for screen readers; it must start with the visible label (WCAG 2.5.3). */
  ariaLabel?: string;
  title: string;
  description: ReactNode;
  confirmLabel: string;
  pending: boolean;
  /** Resolves true when done (the dialog closes), false to keep it open. */
  onConfirm: () => Promise<boolean>;
  /**
   * Runs once the dialog has closed after a confirmed action: it moves focus where it makes sense
   * and then refreshes (a refresh before would unmount a revoked row's dialog, and focus would
   * fall to the page body). Without it focus returns to the trigger, as after Cancel.
   */
  afterConfirm?: () => void;
  variant?: ButtonVariant;
  size?: ButtonSize;
  disabled?: boolean;
}) {
  const [open, setOpen] = useState(false);
  const confirmed = useRef(false);
  return (
    <AlertDialog.Root open={open} onOpenChange={setOpen}>
      <AlertDialog.Trigger asChild>
        <Button variant={variant} size={size} aria-label={ariaLabel} disabled={disabled}>
          {label}
        </Button>
      </AlertDialog.Trigger>
      <AlertDialog.Portal>
        <AlertDialog.Overlay className={overlayClass} />
        <AlertDialog.Content
          className={`${panelClass} w-[min(28rem,calc(100vw-2rem))] p-6`}
          onCloseAutoFocus={(event) => {
            if (confirmed.current && afterConfirm) {
              event.preventDefault();
              afterConfirm();
            }
            confirmed.current = false;
          }}
        >
          <AlertDialog.Title className="text-lg font-semibold">{title}</AlertDialog.Title>
          <AlertDialog.Description asChild>
            <div className="mt-2 text-sm text-fg-muted">{description}</div>
          </AlertDialog.Description>
          <div className="mt-6 flex flex-wrap justify-end gap-3">
            <AlertDialog.Cancel asChild>
              <Button variant="secondary">Cancel</Button>
            </AlertDialog.Cancel>
            <Button
              variant="danger"
              disabled={pending}
              onClick={async () => {
                if (!(await onConfirm())) return;
                confirmed.current = true;
                setOpen(false);
              }}
            >
              {pending ? "Working…" : confirmLabel}
            </Button>
          </div>
        </AlertDialog.Content>
      </AlertDialog.Portal>
    </AlertDialog.Root>
  );
}
