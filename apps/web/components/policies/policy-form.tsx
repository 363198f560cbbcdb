"use client";

import { useState, type FormEvent } from "react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { toast } from "sonner";
import type { inferRouterOutputs } from "@trpc/server";
import type { AppRouter } from "@tokensmith/api";
import { formatLifetime } from "@tokensmith/core/lifetime";
import { useTRPC } from "@/lib/trpc";
import { errorMessage } from "@/lib/errors";
import { Button, Field, Notice, Select, TextInput } from "../ui";
import { QueryError, Skeleton } from "../query-state";

type PolicyView = inferRouterOutputs<AppRouter>["policy"]["get"];
/** A yes/no rule, or "" for not set here (an account's then follows the server-wide policy). */
type Choice = "" | "yes" | "no";

interface Draft {
  maxLife: string;
  requireEndpoints: Choice;
  requireAllowedIps: Choice;
  rateRequests: string;
  ratePer: string;
  allowRotationOverlap: Choice;
}

const choiceOf = (value: boolean | null): Choice => (value === null ? "" : value ? "yes" : "no");
const boolOf = (choice: Choice): boolean | null => (choice === "" ? null : choice === "yes");

function draftOf(view: PolicyView): Draft {
  return {
    maxLife: view.maxLifeSeconds === null ? "" : formatLifetime(view.maxLifeSeconds),
    requireEndpoints: choiceOf(view.requireEndpoints),
    requireAllowedIps: choiceOf(view.requireAllowedIps),
    rateRequests: view.maxRateLimit ? String(view.maxRateLimit.requests) : "",
    ratePer: view.maxRateLimit ? formatLifetime(view.maxRateLimit.perSeconds) : "1 minute",
    allowRotationOverlap: choiceOf(view.allowRotationOverlap),
  };
}

/** One stored policy (server-wide, or an account's), each rule editable; saving sends every rule. */
export function PolicyForm({ account, onSaved }: { account?: string; onSaved: () => void }) {
  const trpc = useTRPC();
  const scope = account === undefined ? {} : { account };
  const stored = useQuery(trpc.policy.get.queryOptions(scope));
  if (stored.isPending) return <Skeleton label="Loading the policy…" lines={3} />;
  if (stored.isError) return <QueryError what="the policy" error={stored.error} onRetry={() => void stored.refetch()} retrying={stored.isFetching} />;
  return <PolicyFields key={JSON.stringify(stored.data)} account={account} stored={stored.data} onSaved={onSaved} />;
}

function PolicyFields({ account, stored, onSaved }: { account?: string; stored: PolicyView; onSaved: () => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [draft, setDraft] = useState<Draft>(() => draftOf(stored));
  const set = (change: Partial<Draft>) => setDraft((current) => ({ ...current, ...change }));
  const save = useMutation(
    trpc.policy.set.mutationOptions({
      onSuccess: async () => {
        toast.success(account === undefined ? "Server-wide policy saved" : `Policy of ${account} saved`);
        await queryClient.invalidateQueries(trpc.policy.pathFilter());
        onSaved();
      },
    }),
  );
  const unset = account === undefined ? "No rule" : "As the server-wide policy";
  const prefix = account === undefined ? "server" : "account";
  function submit(event: FormEvent) {
    event.preventDefault();
    const requests = draft.rateRequests.trim();
    save.mutate({
      ...(account === undefined ? {} : { account }),
      maxLife: draft.maxLife.trim() === "" ? null : draft.maxLife.trim(),
      requireEndpoints: boolOf(draft.requireEndpoints),
      requireAllowedIps: boolOf(draft.requireAllowedIps),
      maxRateLimit: requests === "" ? null : { requests: Number(requests), per: draft.ratePer },
      allowRotationOverlap: boolOf(draft.allowRotationOverlap),
    });
  }
  const yesNo = (id: keyof Draft, label: string, yes: string, no: string) => (
    <Field id={`${prefix}-${id}`} label={label}>
      <Select id={`${prefix}-${id}`} value={draft[id]} onChange={(e) => set({ [id]: e.target.value as Choice })}>
        <option value="">{unset}</option>
        <option value="yes">{yes}</option>
        <option value="no">{no}</option>
      </Select>
    </Field>
  );
  return (
    <form onSubmit={submit} className="space-y-4" noValidate aria-label={account === undefined ? "Server-wide policy" : `Policy of ${account}`}>
      {save.error && <Notice>{errorMessage(save.error)}</Notice>}
      <div className="grid gap-4 sm:grid-cols-2">
        <Field id={`${prefix}-maxLife`} label="Longest lifetime" hint={`e.g. "30 days". Empty: ${unset.toLowerCase()}.`}>
          <TextInput id={`${prefix}-maxLife`} value={draft.maxLife} placeholder="e.g. 30 days" onChange={(e) => set({ maxLife: e.target.value })} autoComplete="off" />
        </Field>
        <fieldset className="space-y-1.5">
          <legend className="mb-1.5 text-sm font-medium text-fg">Largest rate limit</legend>
          <div className="flex items-center gap-2">
            <TextInput
              aria-label="Largest rate limit: requests"
              inputMode="numeric"
              value={draft.rateRequests}
              placeholder="none"
              onChange={(e) => set({ rateRequests: e.target.value })}
            />
            <span className="shrink-0 text-sm text-fg-muted">per</span>
            <TextInput aria-label="Largest rate limit: window" value={draft.ratePer} onChange={(e) => set({ ratePer: e.target.value })} />
          </div>
          <p className="text-xs text-fg-muted">Every token must have a limit at least this strict. Empty requests: {unset.toLowerCase()}.</p>
        </fieldset>
        {yesNo("requireEndpoints", "Endpoints", "Must be named", "May be left open")}
        {yesNo("requireAllowedIps", "IP allowlist", "Required", "Not required")}
        {yesNo("allowRotationOverlap", "Rotation overlap", "Allowed", "Not allowed")}
      </div>
      <div className="flex justify-end">
        <Button type="submit" disabled={save.isPending}>
          {save.isPending ? "Saving…" : account === undefined ? "Save server-wide policy" : `Save policy of ${account}`}
        </Button>
      </div>
    </form>
  );
}
