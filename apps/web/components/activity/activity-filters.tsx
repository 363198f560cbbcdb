"use client";

import { useEffect, useState, type FormEvent } from "react";
import { EVENT_LABELS, isTokenId, type ActivityView } from "@/lib/activity-view";
import { Button, Select, TextInput } from "../ui";

/**
 * Event type applies at once; user and token apply on Enter or "Apply" (typing an id character by
 * character would ask the server for every partial one).
 */
export function ActivityFilters({ view, isAdmin, onChange }: { view: ActivityView; isAdmin: boolean; onChange: (next: ActivityView) => void }) {
  const [user, setUser] = useState(view.user);
  const [token, setToken] = useState(view.token);
  useEffect(() => setUser(view.user), [view.user]);
  useEffect(() => setToken(view.token), [view.token]);
  const tokenError = token.trim() && !isTokenId(token.trim()) ? "A token id is 36 characters, like 2c0f…-…; copy it from the token's page." : null;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onChange({ ...view, user, token: token.trim() });
  };
  const filtered = view.action || view.user || view.token;
  return (
    <form onSubmit={submit} className="mb-4 grid items-end gap-3 sm:grid-cols-2 lg:grid-cols-[repeat(3,minmax(0,1fr))_auto]" aria-label="Filter activity">
      <div>
        <label htmlFor="activity-action" className="mb-1 block text-sm font-medium">
          Event
        </label>
        <Select id="activity-action" value={view.action} onChange={(e) => onChange({ ...view, action: e.target.value })}>
          <option value="">Every event</option>
          {Object.entries(EVENT_LABELS).map(([action, label]) => (
            <option key={action} value={action}>
              {label}
            </option>
          ))}
        </Select>
      </div>
      {isAdmin && (
        <div>
          <label htmlFor="activity-user" className="mb-1 block text-sm font-medium">
            Done by
          </label>
          <TextInput id="activity-user" value={user} onChange={(e) => setUser(e.target.value)} placeholder="Anyone (a username)" autoComplete="off" />
        </div>
      )}
      <div>
        <label htmlFor="activity-token" className="mb-1 block text-sm font-medium">
          Token id
        </label>
        <TextInput
          id="activity-token"
          value={token}
          onChange={(e) => setToken(e.target.value)}
          placeholder="Any token"
          autoComplete="off"
          aria-invalid={Boolean(tokenError)}
          aria-describedby={tokenError ? "activity-token-error" : undefined}
        />
      </div>
      <div className="flex gap-2">
        <Button type="submit" variant="secondary" disabled={Boolean(tokenError)}>
          Apply
        </Button>
        {filtered && (
          <Button variant="ghost" onClick={() => onChange({ action: "", user: "", token: "" })}>
            Clear
          </Button>
        )}
      </div>
      {tokenError && (
        <p id="activity-token-error" role="alert" className="text-sm text-red-700 sm:col-span-2 lg:col-span-4 dark:text-red-300">
          {tokenError}
        </p>
      )}
    </form>
  );
}
