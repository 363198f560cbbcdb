"use client";

import { useEffect, useState, type FormEvent } from "react";
import { TRPCClientError } from "@trpc/client";
import { toast } from "sonner";
import { parseLifetime } from "@tokensmith/core/lifetime";
import { parseRateLimit } from "@tokensmith/core/rate-limits";
import { errorMessage } from "@/lib/errors";
import { Button, Field, Select, TextInput } from "../ui";
import { TokenReveal, useRevealGuard } from "./token-reveal";
import { PolicyNote, useTokenPolicy } from "./policy-note";
import { draftBreaches, policyAsks } from "./policy-draft";
import { useCreateToken } from "./use-create-token";
import { CustomLifetimeHint, LifetimeOptions, fittingPreset } from "./lifetime-options";
import { Modal, ModalActions } from "../modal";
import { ALL_ENDPOINTS, EndpointsPicker, endpointsFrom, type EndpointsChoice } from "./endpoints-picker";
import { LimitsFields, NO_LIMITS, limitsFrom, withRequiredRateLimit, type LimitsChoice } from "./limits-fields";

const PRESETS = ["1 hour", "1 day", "7 days", "30 days", "90 days"] as const;
const CUSTOM = "custom";
const DEFAULT_PRESET = "1 day";

type Errors = { description?: string; life?: string; endpoints?: string; rateLimit?: string; allowedIps?: string; maxUses?: string; audience?: string; dpopJkt?: string };
const FIELDS = ["description", "endpoints", "rateLimit", "allowedIps", "maxUses", "audience", "dpopJkt"] as const;

/** Which field a server-side BAD_REQUEST belongs to: zod names its path; lifetime rules come from core. */
function fieldErrors(error: unknown): Errors {
  if (!(error instanceof TRPCClientError) || error.data?.code !== "BAD_REQUEST") return {};
  const issues = (error.data as { issues?: { path: (string | number)[]; message: string }[] }).issues;
  if (issues?.length) {
    const errors: Errors = {};
    for (const issue of issues) {
      const field = FIELDS.find((name) => name === issue.path[0]) ?? "life";
      errors[field] = issue.message;
    }
    return errors;
  }
  return { life: error.message };
}

/** The caller's new token; with `account`, a service account's (for its administrators and managers). */
export function NewTokenDialog({ account }: { account?: string } = {}) {
  const [open, setOpen] = useState(false);
  const [description, setDescription] = useState("");
  const [preset, setPreset] = useState<string>(DEFAULT_PRESET);
  const [custom, setCustom] = useState("");
  const [endpointsChoice, setEndpointsChoice] = useState<EndpointsChoice>(ALL_ENDPOINTS);
  const [limitsChoice, setLimitsChoice] = useState<LimitsChoice>(NO_LIMITS);
  const [errors, setErrors] = useState<Errors>({});
  // The plaintext token lives only here, in memory, until the dialog closes.
  const [revealed, setRevealed] = useState<{ token: string; description: string } | null>(null);
  const guard = useRevealGuard();

  const policy = useTokenPolicy(account, open);
  const create = useCreateToken(account, {
    onSuccess: (created) => {
      setRevealed({ token: created.token, description: created.description });
      toast.success(`Token “${created.description}” created`);
    },
    onError: (error) => {
      const byField = fieldErrors(error);
      setErrors(byField);
      if (Object.keys(byField).length === 0) toast.error(`Could not create the token. ${errorMessage(error)}`);
    },
  });

  const asks = policyAsks(policy);
  // The dialog starts on what the policy allows: the longest preset within its lifetime, named
  // endpoints and a rate limit when it requires them.
  useEffect(() => {
    setPreset((current) => fittingPreset(PRESETS, current, policy, CUSTOM));
    if (policy?.rules.requireEndpoints) setEndpointsChoice((current) => ({ ...current, limited: true }));
    setLimitsChoice((current) => withRequiredRateLimit(current, policy?.rules.maxRateLimit?.value));
  }, [policy]);

  function reset() {
    setDescription("");
    setPreset(fittingPreset(PRESETS, DEFAULT_PRESET, policy, CUSTOM));
    setCustom("");
    setEndpointsChoice({ ...ALL_ENDPOINTS, limited: Boolean(policy?.rules.requireEndpoints) });
    setLimitsChoice(withRequiredRateLimit(NO_LIMITS, policy?.rules.maxRateLimit?.value));
    setErrors({});
    setRevealed(null);
    guard.setAsking(false);
    create.reset();
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    const life = preset === CUSTOM ? custom : preset;
    const next: Errors = {};
    if (description.trim() === "") next.description = "Give the token a description.";
    const parsed = parseLifetime(life);
    if (!parsed.ok) next.life = parsed.message;
    const { endpoints, error } = endpointsFrom(endpointsChoice);
    if (error) next.endpoints = error;
    const { rateLimit, allowedIps, maxUses, audience, dpopJkt, errors: limitErrors } = limitsFrom(limitsChoice);
    Object.assign(next, limitErrors);
    if (parsed.ok && !Object.values(next).some(Boolean)) {
      // The policy's rules, judged by the function the server judges with: the same words, sooner.
      const limit = rateLimit ? parseRateLimit(rateLimit) : null;
      const breaches = draftBreaches(policy, {
        lifeSeconds: parsed.seconds,
        endpoints: endpoints ?? null,
        allowedIps: allowedIps ?? null,
        rateLimit: limit?.ok ? limit.limit : null,
      });
      Object.assign(next, { life: breaches.life, endpoints: breaches.endpoints, allowedIps: breaches.allowedIps, rateLimit: breaches.rateLimit });
    }
    setErrors(next);
    if (Object.values(next).some(Boolean)) return;
    create.mutate({ description, life, endpoints, ...(rateLimit ? { rateLimit } : {}), ...(allowedIps ? { allowedIps } : {}), ...(maxUses ? { maxUses } : {}), ...(audience ? { audience } : {}), ...(dpopJkt ? { dpopJkt } : {}) });
  }

  return (
    <Modal
      open={open}
      onOpenChange={(value) => {
        setOpen(value);
        if (!value) reset();
      }}
      trigger={account === undefined ? <Button>New token</Button> : <Button size="sm" aria-label={`Issue token for ${account}`}>Issue token</Button>}
      title={revealed ? "Token created" : account === undefined ? "New token" : `New token for ${account}`}
      description={revealed ? `“${revealed.description}” is ready to use.` : "The token is shown once, right after you create it."}
      keepOnOutsideClick={Boolean(revealed)}
      onEscapeKeyDown={guard.guardEscape(Boolean(revealed))}
    >
      {revealed ? (
        <TokenReveal
          token={revealed.token}
          asking={guard.asking}
          onKeep={() => guard.setAsking(false)}
          onDone={() => {
            setOpen(false);
            reset();
          }}
        />
      ) : (
        <form onSubmit={submit} className="space-y-5" noValidate>
          <PolicyNote policy={policy} />
          <Field id="token-description" label="Description" error={errors.description}>
            <TextInput
              id="token-description"
              value={description}
              maxLength={200}
              placeholder="e.g. CI deploys"
              aria-invalid={Boolean(errors.description)}
              aria-describedby={errors.description ? "token-description-error" : undefined}
              onChange={(e) => setDescription(e.target.value)}
              autoFocus
            />
          </Field>
          <Field id="token-life" label="Lifetime" error={preset === CUSTOM ? undefined : errors.life}>
            <Select id="token-life" value={preset} onChange={(e) => setPreset(e.target.value)}>
              <LifetimeOptions presets={PRESETS} policy={policy} />
              <option value={CUSTOM}>Custom…</option>
            </Select>
          </Field>
          {preset === CUSTOM && (
            <Field
              id="token-life-custom"
              label="Custom lifetime"
              hint={<CustomLifetimeHint policy={policy} />}
              error={errors.life}
            >
              <TextInput
                id="token-life-custom"
                value={custom}
                placeholder="e.g. 6 minutes"
                aria-invalid={Boolean(errors.life)}
                aria-describedby={errors.life ? "token-life-custom-error" : undefined}
                onChange={(e) => setCustom(e.target.value)}
              />
            </Field>
          )}
          <EndpointsPicker
            value={endpointsChoice}
            onChange={(choice) => {
              setEndpointsChoice(choice);
              setErrors((current) => ({ ...current, endpoints: undefined }));
            }}
            error={errors.endpoints}
            required={asks.endpoints}
          />
          <LimitsFields
            value={limitsChoice}
            onChange={(choice) => {
              setLimitsChoice(choice);
              setErrors((current) => ({ ...current, rateLimit: undefined, allowedIps: undefined, maxUses: undefined, audience: undefined, dpopJkt: undefined }));
            }}
            errors={{ rateLimit: errors.rateLimit, allowedIps: errors.allowedIps, maxUses: errors.maxUses, audience: errors.audience, dpopJkt: errors.dpopJkt }}
            asks={asks}
          />
          <ModalActions label="Create" pendingLabel="Creating…" pending={create.isPending} />
        </form>
      )}
    </Modal>
  );
}
