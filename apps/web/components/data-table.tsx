import type { ReactNode } from "react";

export interface Column {
  /** The header; a `label` of null is an unlabelled actions column (named for screen readers). */
  label: ReactNode | null;
  key: string;
  className?: string;
}

/**
 * The dashboard's one table look. With `stack`, below 1024 px each row becomes a block
 * of labelled lines (each cell names its column in `data-label`), so a phone or tablet shows every value and
 * every action without sideways scrolling; the explicit roles keep it a table for screen readers.
 * Without it, a narrow screen scrolls the table inside its frame — which shows shadows at the edge
 * that has more — and the frame is a named, focusable region, so a keyboard can scroll it too.
 */
export function DataTable({
  label,
  columns,
  children,
  stack = false,
  dense = false,
}: {
  label: string;
  columns: (Column | string | null)[];
  children: ReactNode;
  stack?: boolean;
  /** A lower header row, for long lists of one-line rows. */
  dense?: boolean;
}) {
  const normalised = columns.map((c, i): Column => (typeof c === "string" || c === null ? { label: c, key: c ?? `actions-${i}` } : c));
  return (
    <div
      role="region"
      aria-label={label}
      tabIndex={0}
      className={`scroll-shadows relative overflow-x-auto rounded-2xl shadow-sm ring-1 ring-line focus-visible:outline-2 focus-visible:outline-indigo-500 ${stack ? "stack-table" : ""}`}
    >
      <table role="table" className="min-w-full divide-y divide-line text-sm">
        <thead role="rowgroup" className="bg-sunken text-left text-xs font-semibold uppercase tracking-wide text-fg-muted">
          <tr role="row">
            {normalised.map((column) => (
              <th key={column.key} role="columnheader" scope="col" className={`px-3 ${dense ? "py-2" : "py-3"} first:pl-4 ${column.className ?? ""}`}>
                {column.label ?? <span className="sr-only">Actions</span>}
              </th>
            ))}
          </tr>
        </thead>
        <tbody role="rowgroup" className="divide-y divide-line">
          {children}
        </tbody>
      </table>
    </div>
  );
}
