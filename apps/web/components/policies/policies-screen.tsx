"use client";

import { useState, type FormEvent } from "react";
import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "@/lib/trpc";
import { useMe } from "@/lib/use-me";
import { Button, Field, Select } from "../ui";
import { PolicyForm } from "./policy-form";
import { ViolationsList } from "./violations-list";

const cardClass = "space-y-4 rounded-2xl p-5 shadow-sm ring-1 ring-line";

/**
 * Administrators: the server-wide token policy, one account's (a person or a service account; each
 * rule it sets wins over the server's), and the tokens in force that break them.
 */
export function PoliciesScreen() {
  const trpc = useTRPC();
  const { me } = useMe();
  const users = useQuery(trpc.user.list.queryOptions(undefined, { enabled: Boolean(me?.isAdmin) }));
  const [picked, setPicked] = useState("");
  const [account, setAccount] = useState<string | null>(null);
  const focusViolations = () => document.getElementById("violations-heading")?.focus();
  if (me && !me.isAdmin) return <p role="alert" className="text-sm text-fg">Only administrators can set token policies.</p>;
  function choose(event: FormEvent) {
    event.preventDefault();
    setAccount(picked || null);
  }
  return (
    <div className="space-y-8">
      <div>
        <h1 id="policies-heading" tabIndex={-1} className="text-2xl font-semibold tracking-tight outline-none">
          Token policies
        </h1>
        <p className="mt-1 text-sm text-fg-muted">
          Rules every new or rotated token must keep, refused with a message naming the policy. A change never ends tokens already issued: those that break it are listed below.
        </p>
      </div>
      <section aria-labelledby="server-policy-heading" className={cardClass}>
        <h2 id="server-policy-heading" className="text-lg font-semibold">Server-wide policy</h2>
        <PolicyForm onSaved={focusViolations} />
      </section>
      <section aria-labelledby="account-policy-heading" className={cardClass}>
        <h2 id="account-policy-heading" className="text-lg font-semibold">One account&apos;s policy</h2>
        <p className="text-sm text-fg-muted">For a person or a service account: each rule it sets replaces the server-wide one, stricter or looser.</p>
        <form onSubmit={choose} className="flex flex-wrap items-end gap-3" noValidate>
          <div className="min-w-56 flex-1">
            <Field id="policy-account" label="Account">
              <Select id="policy-account" value={picked} onChange={(e) => setPicked(e.target.value)}>
                <option value="">Choose an account…</option>
                {users.data?.map((user) => (
                  <option key={user.id} value={user.username}>
                    {user.accountType === "service" ? `${user.username} (service account)` : user.username}
                  </option>
                ))}
              </Select>
            </Field>
          </div>
          <Button type="submit" variant="secondary" disabled={picked === ""}>
            Show policy
          </Button>
        </form>
        {account && <PolicyForm key={account} account={account} onSaved={focusViolations} />}
      </section>
      <ViolationsList />
    </div>
  );
}
