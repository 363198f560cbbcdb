"use client";

import { formatCount } from "@/lib/format";
import { PAGE_SIZES, type TokenListView } from "@/lib/token-list-view";
import { Button, Select } from "../ui";

/** `total` is a lower bound when not totalExact (the server stops counting): "Page 1 of 200+", Next stays on. */
export function TokenPager({ view, total, totalExact, onChange }: { view: TokenListView; total: number; totalExact: boolean; onChange: (next: TokenListView) => void }) {
  const pages = Math.max(1, Math.ceil(total / view.pageSize));
  return (
    <nav aria-label="Pages" className="mt-4 flex flex-wrap items-center justify-between gap-3 text-sm">
      <div className="flex items-center gap-2">
        <label htmlFor="token-page-size" className="whitespace-nowrap text-fg-muted">
          Per page
        </label>
        <Select
          id="token-page-size"
          className="w-20"
          value={view.pageSize}
          onChange={(e) => onChange({ ...view, pageSize: Number(e.target.value) as TokenListView["pageSize"], page: 1 })}
        >
          {PAGE_SIZES.map((size) => (
            <option key={size} value={size}>
              {size}
            </option>
          ))}
        </Select>
      </div>
      <div className="flex items-center gap-2">
        <Button variant="secondary" disabled={view.page <= 1} onClick={() => onChange({ ...view, page: view.page - 1 })}>
          Previous
        </Button>
        <span className="px-1 tabular-nums text-fg-muted">
          Page {formatCount(Math.min(view.page, pages))} of {formatCount(pages)}
          {totalExact ? "" : "+"}
        </span>
        <Button variant="secondary" disabled={totalExact && view.page >= pages} onClick={() => onChange({ ...view, page: view.page + 1 })}>
          Next
        </Button>
      </div>
    </nav>
  );
}
