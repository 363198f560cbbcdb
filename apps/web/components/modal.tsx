"use client";

import type { ReactNode } from "react";
import * as Dialog from "@radix-ui/react-dialog";

/** The one look of every dialog: overlay, centred panel, title and description for screen readers. */
export function Modal({
  open,
  onOpenChange,
  trigger,
  title,
  description,
  keepOnOutsideClick = false,
  children,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  trigger: ReactNode;
  title: string;
  description?: ReactNode;
  /** For dialogs holding something that must not be lost to a stray click (a token shown once). */
  keepOnOutsideClick?: boolean;
  children: ReactNode;
}) {
  return (
    <Dialog.Root open={open} onOpenChange={onOpenChange}>
      <Dialog.Trigger asChild>{trigger}</Dialog.Trigger>
      <Dialog.Portal>
        <Dialog.Overlay className="fixed inset-0 bg-slate-900/40" />
        <Dialog.Content
          className="fixed left-1/2 top-1/2 max-h-[90vh] w-[min(34rem,calc(100vw-2rem))] -translate-x-1/2 -translate-y-1/2 overflow-y-auto rounded-2xl bg-white p-6 shadow-xl"
          onPointerDownOutside={(event) => keepOnOutsideClick && event.preventDefault()}
        >
          <div className="mb-5">
            <Dialog.Title className="text-lg font-semibold">{title}</Dialog.Title>
            {description && <Dialog.Description className="mt-1 text-sm text-slate-500">{description}</Dialog.Description>}
          </div>
          {children}
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}

export const DialogClose = Dialog.Close;
