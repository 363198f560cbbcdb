"use client";

import type { ReactNode } from "react";
import * as Dialog from "@radix-ui/react-dialog";
import { Button } from "./ui";

export const overlayClass = "fixed inset-0 z-40 bg-slate-950/50";
/**
 * The panel never outgrows a phone's screen: it scrolls inside itself, and a footer marked with
 * modalFooterClass sticks to its bottom, so the buttons stay in view.
 */
export const panelClass =
  "fixed left-1/2 top-1/2 z-50 max-h-[calc(100dvh-2rem)] w-[min(34rem,calc(100vw-2rem))] -translate-x-1/2 -translate-y-1/2 overflow-y-auto rounded-2xl bg-surface text-fg shadow-xl ring-1 ring-line";
export const modalFooterClass = "sticky -bottom-6 -mx-6 -mb-6 flex flex-wrap justify-end gap-3 border-t border-line bg-surface px-6 py-4";

/** The one look of every dialog: overlay, centred panel, title and description for screen readers. */
export function Modal({
  open,
  onOpenChange,
  trigger,
  title,
  description,
  keepOnOutsideClick = false,
  onEscapeKeyDown,
  onCloseAutoFocus,
  children,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  trigger?: ReactNode;
  title: string;
  description?: ReactNode;
  /** For dialogs holding something that must not be lost to a stray click (a token shown once). */
  keepOnOutsideClick?: boolean;
  onEscapeKeyDown?: (event: KeyboardEvent) => void;
  /** Where focus goes once closed (by default: back to the trigger). */
  onCloseAutoFocus?: (event: Event) => void;
  children: ReactNode;
}) {
  return (
    <Dialog.Root open={open} onOpenChange={onOpenChange}>
      {trigger && <Dialog.Trigger asChild>{trigger}</Dialog.Trigger>}
      <Dialog.Portal>
        <Dialog.Overlay className={overlayClass} />
        <Dialog.Content
          className={`${panelClass} p-6`}
          onPointerDownOutside={(event) => keepOnOutsideClick && event.preventDefault()}
          onEscapeKeyDown={onEscapeKeyDown}
          onCloseAutoFocus={onCloseAutoFocus}
        >
          <div className="mb-5">
            <Dialog.Title className="text-lg font-semibold">{title}</Dialog.Title>
            {description ? (
              <Dialog.Description className="mt-1 text-sm text-fg-muted">{description}</Dialog.Description>
            ) : (
              <Dialog.Description className="sr-only">{title}</Dialog.Description>
            )}
          </div>
          {children}
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}

export const DialogClose = Dialog.Close;

/**
 * A dialog's Cancel and its one action, stuck to the panel's bottom. Without `onAction` the action
 * submits the dialog's form; while `pending` it is disabled and says so.
 */
export function ModalActions({ label, pendingLabel, pending, onAction }: { label: string; pendingLabel: string; pending: boolean; onAction?: () => void }) {
  return (
    <div className={modalFooterClass}>
      <DialogClose asChild>
        <Button variant="secondary">Cancel</Button>
      </DialogClose>
      <Button type={onAction ? "button" : "submit"} onClick={onAction} disabled={pending}>
        {pending ? pendingLabel : label}
      </Button>
    </div>
  );
}
