import type { ComponentProps, InputHTMLAttributes, ReactNode, SelectHTMLAttributes } from "react";

const BUTTON_VARIANTS = {
  primary: "bg-indigo-600 text-white hover:bg-indigo-500 focus-visible:outline-indigo-500 disabled:bg-indigo-400 disabled:text-white",
  secondary: "bg-surface text-fg ring-1 ring-inset ring-line-strong hover:bg-sunken focus-visible:outline-indigo-500 disabled:opacity-50 disabled:hover:bg-surface",
  danger: "bg-red-700 text-white hover:bg-red-600 focus-visible:outline-red-600 disabled:bg-red-400",
  ghost: "text-fg-muted hover:bg-sunken hover:text-fg focus-visible:outline-indigo-500 disabled:opacity-50 disabled:hover:bg-transparent",
} as const;

export type ButtonVariant = keyof typeof BUTTON_VARIANTS;

export type ButtonSize = "md" | "sm" | "xs";
const BUTTON_SIZES: Record<ButtonSize, string> = { md: "px-3.5 py-2 text-sm", sm: "px-2.5 py-1.5 text-xs", xs: "px-2 py-1 text-xs" };

export function buttonClass(variant: ButtonVariant = "primary", size: ButtonSize = "md", className = ""): string {
  return `inline-flex items-center justify-center gap-1.5 whitespace-nowrap rounded-lg font-semibold shadow-xs transition ${BUTTON_SIZES[size]} focus-visible:outline-2 focus-visible:outline-offset-2 disabled:cursor-not-allowed ${BUTTON_VARIANTS[variant]} ${className}`;
}

export function Button({
  variant = "primary",
  size = "md",
  className = "",
  ...props
}: ComponentProps<"button"> & { variant?: ButtonVariant; size?: ButtonSize }) {
  return <button type="button" className={buttonClass(variant, size, className)} {...props} />;
}

export const inputClass =
  "block w-full rounded-lg border-0 bg-surface px-3 py-2 text-sm text-fg shadow-xs ring-1 ring-inset ring-line-strong placeholder:text-fg-muted focus:ring-2 focus:ring-inset focus:ring-indigo-500 aria-[invalid=true]:ring-red-500";

/** A visible label tied to its control, with an optional hint and an error that screen readers hear. */
export function Field({ id, label, hint, error, children }: { id: string; label: string; hint?: ReactNode; error?: string | null; children: ReactNode }) {
  return (
    <div className="space-y-1.5">
      <label htmlFor={id} className="block text-sm font-medium text-fg">
        {label}
      </label>
      {children}
      {hint && !error && <p className="text-xs text-fg-muted">{hint}</p>}
      {error && (
        <p id={`${id}-error`} role="alert" className="text-sm text-red-700 dark:text-red-300">
          {error}
        </p>
      )}
    </div>
  );
}

export function TextInput(props: InputHTMLAttributes<HTMLInputElement>) {
  return <input className={inputClass} {...props} />;
}

export function Select({ className = "", ...props }: SelectHTMLAttributes<HTMLSelectElement>) {
  return <select className={`${inputClass} ${className}`} {...props} />;
}

const BADGE_TONES = {
  green: "bg-emerald-50 text-emerald-800 ring-emerald-600/25 dark:bg-emerald-950 dark:text-emerald-200 dark:ring-emerald-400/30",
  amber: "bg-amber-50 text-amber-900 ring-amber-600/30 dark:bg-amber-950 dark:text-amber-200 dark:ring-amber-400/30",
  grey: "bg-sunken text-fg-muted ring-line-strong",
  red: "bg-red-50 text-red-800 ring-red-600/25 dark:bg-red-950 dark:text-red-200 dark:ring-red-400/30",
  violet: "bg-violet-50 text-violet-800 ring-violet-600/25 dark:bg-violet-950 dark:text-violet-200 dark:ring-violet-400/30",
  blue: "bg-sky-50 text-sky-900 ring-sky-600/25 dark:bg-sky-950 dark:text-sky-200 dark:ring-sky-400/30",
} as const;

export type BadgeTone = keyof typeof BADGE_TONES;

export function Badge({ tone, children, title }: { tone: BadgeTone; children: ReactNode; title?: string }) {
  return (
    <span title={title} className={`inline-flex items-center whitespace-nowrap rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset ${BADGE_TONES[tone]}`}>
      {children}
    </span>
  );
}

/** An inline alert box (errors inside forms and dialogs). */
export function Notice({ tone = "red", children }: { tone?: "red" | "amber"; children: ReactNode }) {
  const colours =
    tone === "red"
      ? "bg-red-50 text-red-800 ring-red-200 dark:bg-red-950 dark:text-red-200 dark:ring-red-800"
      : "bg-amber-50 text-amber-900 ring-amber-300 dark:bg-amber-950 dark:text-amber-100 dark:ring-amber-700";
  return (
    <div role="alert" className={`rounded-lg px-3 py-2 text-sm ring-1 ring-inset ${colours}`}>
      {children}
    </div>
  );
}

export const linkClass = "font-medium text-link underline-offset-2 hover:underline focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-500 rounded-sm";
