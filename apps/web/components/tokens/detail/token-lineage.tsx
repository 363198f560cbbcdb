"use client";

import Link from "next/link";
import type { RouterOutputs } from "@tokensmith/api";
import { shortId } from "@/lib/format";
import { linkClass } from "../../ui";
import { StateBadge } from "../token-bits";

export type TokenDetail = RouterOutputs["token"]["detail"];
type Detail = TokenDetail;
type TokenLink = NonNullable<Detail["rotatedFrom"]>;

function TokenLinkItem({ token, id }: { token: TokenLink; id?: string }) {
  return (
    <span>
      <Link id={id} href={`/tokens/${token.id}`} className={linkClass}>
        {token.description} <code className="text-xs font-normal">{shortId(token.id)}</code>
      </Link>
      <span className="ml-2">
        <StateBadge token={token} />
      </span>
    </span>
  );
}

/** Where this token came from and what came of it: rotation and tokens made by tokens. */
export function TokenLineage({ detail }: { detail: Detail }) {
  const { rotatedFrom, rotatedTo, createdBy, created } = detail;
  if (!rotatedFrom && !rotatedTo && !createdBy && created.length === 0) {
    return <p className="text-sm text-fg-muted">Made with a password or a dashboard session, never rotated, and it made no tokens.</p>;
  }
  return (
    <dl className="space-y-3 text-sm">
      {rotatedFrom && (
        <div>
          <dt className="font-medium text-fg-muted">Rotated from</dt>
          <dd>
            <TokenLinkItem token={rotatedFrom} />
          </dd>
        </div>
      )}
      {rotatedTo && (
        <div>
          <dt className="font-medium text-fg-muted">Rotated to</dt>
          <dd>
            <TokenLinkItem token={rotatedTo} id="rotated-to-link" />
          </dd>
        </div>
      )}
      {createdBy && (
        <div>
          <dt className="font-medium text-fg-muted">Created by token</dt>
          <dd>
            <TokenLinkItem token={createdBy} />
          </dd>
        </div>
      )}
      {created.length > 0 && (
        <div>
          <dt className="font-medium text-fg-muted">Tokens it created ({created.length}{created.length === 100 ? "+" : ""})</dt>
          <dd>
            <ul className="mt-1 space-y-1">
              {created.map((child) => (
                <li key={child.id}>
                  <TokenLinkItem token={child} />
                </li>
              ))}
            </ul>
          </dd>
        </div>
      )}
    </dl>
  );
}
