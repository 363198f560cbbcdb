import type { ReactNode } from "react";

/** The dashboard's one table look. A header given as null is an unlabelled actions column. */
export function DataTable({ headers, children }: { headers: (string | null)[]; children: ReactNode }) {
  return (
    <div className="overflow-x-auto rounded-2xl bg-white shadow-sm ring-1 ring-slate-200">
      <table className="min-w-full divide-y divide-slate-200 text-sm">
        <thead className="bg-slate-50 text-left text-xs font-semibold uppercase tracking-wide text-slate-500">
          <tr>
            {headers.map((header, i) => (
              <th key={header ?? `actions-${i}`} scope="col" className="px-3 py-3 first:px-4">
                {header ?? <span className="sr-only">Actions</span>}
              </th>
            ))}
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">{children}</tbody>
      </table>
    </div>
  );
}
