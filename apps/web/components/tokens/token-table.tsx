"use client";

import type { TokenView } from "@tokensmith/api";
import { formatDate, formatRemaining } from "@/lib/format";
import { useNow } from "@/lib/use-now";
import { RevokeButton } from "./revoke-button";

function StatusBadge({ expired }: { expired: boolean }) {
  return expired ? (
    <span className="inline-flex items-center rounded-full bg-slate-100 px-2 py-0.5 text-xs font-medium text-slate-600 ring-1 ring-inset ring-slate-300">
      Expired
    </span>
  ) : (
    <span className="inline-flex items-center rounded-full bg-emerald-50 px-2 py-0.5 text-xs font-medium text-emerald-700 ring-1 ring-inset ring-emerald-600/20">
      Valid
    </span>
  );
}

export function TokenTable({ tokens }: { tokens: TokenView[] }) {
  // Remaining life and status are derived from expiresAt on every tick: no refetch needed to expire.
  const now = useNow();
  if (tokens.length === 0) {
    return (
      <div className="rounded-2xl border-2 border-dashed border-slate-200 bg-white px-6 py-14 text-center">
        <h2 className="text-base font-semibold">No tokens yet</h2>
        <p className="mt-1 text-sm text-slate-500">Create a token to call your APIs with a Bearer header.</p>
      </div>
    );
  }
  return (
    <div className="overflow-x-auto rounded-2xl bg-white shadow-sm ring-1 ring-slate-200">
      <table className="min-w-full divide-y divide-slate-200 text-sm">
        <thead className="bg-slate-50 text-left text-xs font-semibold uppercase tracking-wide text-slate-500">
          <tr>
            <th scope="col" className="px-4 py-3">Description</th>
            <th scope="col" className="px-4 py-3">Created</th>
            <th scope="col" className="px-4 py-3">Expires at</th>
            <th scope="col" className="px-4 py-3">Remaining</th>
            <th scope="col" className="px-4 py-3">Status</th>
            <th scope="col" className="px-4 py-3">Last used</th>
            <th scope="col" className="px-4 py-3"><span className="sr-only">Actions</span></th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {tokens.map((token) => {
            const remaining = (new Date(token.expiresAt).getTime() - now) / 1000;
            return (
              <tr key={token.id} data-token-id={token.id} className={remaining <= 0 ? "bg-slate-50/60 text-slate-400" : undefined}>
                <td className={`px-4 py-3 font-medium ${remaining <= 0 ? "text-slate-500" : "text-slate-900"}`}>{token.description}</td>
                <td className="whitespace-nowrap px-4 py-3 text-slate-600">{formatDate(token.createdAt)}</td>
                <td className="whitespace-nowrap px-4 py-3 text-slate-600">{formatDate(token.expiresAt)}</td>
                <td className="whitespace-nowrap px-4 py-3 font-mono text-slate-700" data-testid="remaining">
                  {formatRemaining(remaining)}
                </td>
                <td className="px-4 py-3"><StatusBadge expired={remaining <= 0} /></td>
                <td className="whitespace-nowrap px-4 py-3 text-slate-600">{formatDate(token.lastUsedAt)}</td>
                <td className="px-4 py-3 text-right"><RevokeButton id={token.id} description={token.description} /></td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
