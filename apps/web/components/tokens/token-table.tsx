"use client";

import type { TokenView } from "@tokensmith/api";
import { formatDate, formatRemaining } from "@/lib/format";
import { useNow } from "@/lib/use-now";
import { RevokeButton } from "./revoke-button";
import { RotateButton } from "./rotate-button";
import { DataTable } from "../data-table";

const SOON_SECONDS = 7 * 86_400;

const BADGES = {
  Valid: "bg-emerald-50 text-emerald-700 ring-emerald-600/20",
  Expired: "bg-slate-100 text-slate-600 ring-slate-300",
  Retiring: "bg-violet-50 text-violet-700 ring-violet-600/20",
  "Expires soon": "bg-amber-50 text-amber-800 ring-amber-600/30",
} as const;

function Badge({ label }: { label: keyof typeof BADGES }) {
  return <span className={`inline-flex items-center whitespace-nowrap rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset ${BADGES[label]}`}>{label}</span>;
}

function Endpoints({ endpoints }: { endpoints: string[] | null }) {
  if (endpoints === null) return <span className="text-xs text-slate-400">All endpoints</span>;
  return (
    <span className="flex flex-wrap gap-1" aria-label="Allowed endpoints">
      {endpoints.map((e) => (
        <code key={e} className="whitespace-nowrap rounded bg-slate-100 px-1.5 py-0.5 text-[11px] text-slate-600">{e}</code>
      ))}
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
    <DataTable headers={["Description", "Created", "Expires at", "Remaining", "Status", "Last used", null]}>
          {tokens.map((token) => {
            const remaining = (new Date(token.expiresAt).getTime() - now) / 1000;
            const expired = remaining <= 0;
            const soon = !expired && remaining < SOON_SECONDS;
            const retiring = token.retiresAt !== null && !expired;
            return (
              <tr
                key={token.id}
                data-token-id={token.id}
                className={expired ? "bg-slate-50/60 text-slate-400" : soon ? "bg-amber-50/50" : undefined}
              >
                <td className="px-4 py-3">
                  <div className={`font-medium ${expired ? "text-slate-500" : "text-slate-900"}`}>{token.description}</div>
                  <div className="mt-1"><Endpoints endpoints={token.endpoints} /></div>
                  {token.createdByTokenId && (
                    <div className="mt-1 text-xs text-slate-500">
                      created by token <code title={token.createdByTokenId}>{token.createdByTokenId.slice(0, 8)}…</code>
                    </div>
                  )}
                </td>
                <td className="px-3 py-3 text-slate-600">{formatDate(token.createdAt)}</td>
                <td className="px-3 py-3 text-slate-600">{formatDate(token.expiresAt)}</td>
                <td className="whitespace-nowrap px-3 py-3 font-mono text-slate-700" data-testid="remaining">
                  {formatRemaining(remaining)}
                </td>
                <td className="px-3 py-3">
                  <span className="flex flex-wrap gap-1">
                    <Badge label={expired ? "Expired" : "Valid"} />
                    {soon && <Badge label="Expires soon" />}
                    {retiring && <Badge label="Retiring" />}
                  </span>
                </td>
                <td className="px-3 py-3 text-slate-600">
                  {formatDate(token.lastUsedAt)}
                  {token.lastUsedIp && <div className="text-xs text-slate-400">from {token.lastUsedIp}</div>}
                </td>
                <td className="whitespace-nowrap px-3 py-3 text-right">
                  <span className="inline-flex gap-1.5">
                    {!expired && !retiring && <RotateButton id={token.id} description={token.description} />}
                    <RevokeButton id={token.id} description={token.description} />
                  </span>
                </td>
              </tr>
            );
          })}
        </DataTable>
  );
}
