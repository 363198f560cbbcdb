"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { toast } from "sonner";
import { useTRPC } from "@/lib/trpc";
import { errorMessage } from "@/lib/errors";
import { ConfirmButton } from "../confirm-button";
import { Button, type ButtonSize } from "../ui";
import { tokenName } from "./token-bits";

type PausableToken = { id: string; description: string; pausedAt: string | null; pausedWithId: string | null };

/**
 * Pause (behind a confirmation: everything using the token gets 401 until it is resumed) or
 * resume one token, its owner's or, `asAdmin`, any user's. A token paused with the token that
 * created it is resumed with that one: it offers nothing, and says so.
 */
export function PauseButton({ token, size = "md", asAdmin = false }: { token: PausableToken; size?: ButtonSize; asAdmin?: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const own = { pause: useMutation(trpc.token.pause.mutationOptions()), resume: useMutation(trpc.token.resume.mutationOptions()) };
  const admin = { pause: useMutation(trpc.admin.pauseToken.mutationOptions()), resume: useMutation(trpc.admin.resumeToken.mutationOptions()) };
  const { pause, resume } = asAdmin ? admin : own;
  const refresh = () => {
    void queryClient.invalidateQueries(trpc.token.pathFilter());
    void queryClient.invalidateQueries(trpc.admin.pathFilter());
  };

  if (token.pausedAt !== null) {
    if (token.pausedWithId !== null && token.pausedWithId !== token.id) {
      return <p className="self-center text-sm text-fg-muted">Paused with the token that created it: resume that one.</p>;
    }
    return (
      <Button
        variant="secondary"
        size={size}
        aria-label={`Resume ${tokenName(token)}`}
        disabled={resume.isPending}
        onClick={async () => {
          try {
            await resume.mutateAsync({ id: token.id });
          } catch (error) {
            toast.error(`Could not resume the token. ${errorMessage(error)}`);
            return;
          }
          toast.success(`Token “${token.description}” resumed`);
          refresh();
        }}
      >
        Resume
      </Button>
    );
  }
  return (
    <ConfirmButton
      label="Pause"
      ariaLabel={`Pause ${tokenName(token)}`}
      size={size}
      title="Pause this token?"
      description={`“${token.description}” is refused everywhere (401) until you resume it, and so are the tokens it created. Nothing else changes: resuming brings it back as it was.`}
      confirmLabel="Pause token"
      pending={pause.isPending}
      onConfirm={async () => {
        try {
          await pause.mutateAsync({ id: token.id });
        } catch (error) {
          toast.error(`Could not pause the token. ${errorMessage(error)}`);
          return false;
        }
        toast.success(`Token “${token.description}” paused`);
        return true;
      }}
      afterConfirm={refresh}
    />
  );
}
