"use client";

import Link from "next/link";
import { formatDate, formatLifetime, shortId } from "@/lib/format";
import { useClock } from "@/lib/clock";
import { isRetiring } from "@/lib/token-state";
import { formatRemaining } from "@/lib/format";
import { linkClass } from "../../ui";
import type { TokenDetail } from "./token-lineage";

const noticeClass = "rounded-2xl px-4 py-3 text-sm ring-1 ring-inset";
const RED = `${noticeClass} bg-red-50 text-red-900 ring-red-200 dark:bg-red-950 dark:text-red-100 dark:ring-red-800`;
const VIOLET = `${noticeClass} bg-violet-50 text-violet-900 ring-violet-200 dark:bg-violet-950 dark:text-violet-100 dark:ring-violet-800`;
const GREY = `${noticeClass} bg-sunken text-fg ring-line`;

function TokenRef({ token, id }: { token: TokenDetail["rotatedTo"]; id: string | null }) {
  if (!id) return <>another token</>;
  return (
    <Link href={`/tokens/${id}`} className={linkClass}>
      {token ? `“${token.description}” ` : "token "}
      <code className="text-xs">{shortId(id)}</code>
    </Link>
  );
}

/** Why this token stopped before its expiry — said first on its page, with when and what did it. */
export function TokenEndingNotice({ detail }: { detail: TokenDetail }) {
  const { ending, rotation, rotatedTo, token } = detail;
  const retiring = useClock((now) => isRetiring(token, now));
  const left = useClock((now) => (token.retiresAt ? formatRemaining((Date.parse(token.retiresAt) - now) / 1000) : ""));
  if (ending?.reason === "reuse_detected") {
    return (
      <div role="status" className={RED} data-testid="token-ending">
        <p className="font-semibold">Revoked by reuse detection, {formatDate(ending.at)}.</p>
        <p className="mt-1">
          <TokenRef token={ending.triggerToken} id={ending.trigger} />, a token of the same rotation family that had already been replaced, was presented
          {ending.ip ? (
            <>
              {" "}
              from <strong>{ending.ip}</strong>
            </>
          ) : null}{" "}
          after it stopped. Someone kept a copy of it, so every token of the family was revoked, this one included. Look for what still uses the old
          token, then create a new one.
        </p>
      </div>
    );
  }
  if (ending?.reason === "revoked") {
    return (
      <div role="status" className={RED} data-testid="token-ending">
        <p className="font-semibold">
          Revoked {ending.byAdmin ? `by an administrator (${ending.by})` : ending.by ? `by ${ending.by}` : ""}, {formatDate(ending.at)}.
        </p>
      </div>
    );
  }
  if (ending?.reason === "with_parent") {
    return (
      <div role="status" className={RED} data-testid="token-ending">
        <p className="font-semibold">Stopped with the token that created it, {formatDate(ending.at)}.</p>
      </div>
    );
  }
  if (rotation && (retiring || ending?.reason === "rotated")) {
    const asked = rotation.overlapSeconds === null ? null : rotation.overlapSeconds === 0 ? "none" : formatLifetime(rotation.overlapSeconds);
    return (
      <div role="status" className={retiring ? VIOLET : GREY} data-testid="token-ending">
        <p className="font-semibold">
          {retiring ? `Retiring: rotated ${formatDate(rotation.at)}, it stops ${formatDate(rotation.stopsAt)} (in ${left}).` : `Rotated ${formatDate(rotation.at)}; it stopped ${formatDate(rotation.stopsAt)}.`}
        </p>
        <p className="mt-1">
          Replaced by <TokenRef token={rotatedTo} id={token.rotatedToId} />
          {asked && asked !== "none" ? `, with an overlap of ${asked}` : ""}.{" "}
          {rotation.cutShortByExpiry && "The overlap was cut short: this token expires before it would have ended, and stops then. "}
          Used after it stops, it counts as a stolen copy and revokes the new token too.
        </p>
      </div>
    );
  }
  return null;
}
