"use client";

import { createContext, useContext, useState, type ReactNode } from "react";
import { THEMES, themeCookie, type Theme } from "@/lib/theme";

const ThemeContext = createContext<{ theme: Theme; setTheme: (theme: Theme) => void }>({ theme: "system", setTheme: () => {} });

/** Holds the theme the server rendered; a change is applied at once and remembered in a cookie. */
export function ThemeProvider({ initial, children }: { initial: Theme; children: ReactNode }) {
  const [theme, setThemeState] = useState(initial);
  const setTheme = (next: Theme) => {
    setThemeState(next);
    document.documentElement.dataset.theme = next;
    document.cookie = themeCookie(next);
  };
  return <ThemeContext.Provider value={{ theme, setTheme }}>{children}</ThemeContext.Provider>;
}

export const useTheme = () => useContext(ThemeContext);

const LABELS: Record<Theme, string> = { system: "System theme", light: "Light theme", dark: "Dark theme" };

export function ThemeSelect({ id }: { id: string }) {
  const { theme, setTheme } = useTheme();
  return (
    <>
      <label htmlFor={id} className="sr-only">
        Theme
      </label>
      <select
        id={id}
        value={theme}
        onChange={(e) => setTheme(e.target.value as Theme)}
        className="rounded-lg border-0 bg-surface py-1.5 pl-2 pr-7 text-sm text-fg ring-1 ring-inset ring-line-strong focus:ring-2 focus:ring-indigo-500"
      >
        {THEMES.map((t) => (
          <option key={t} value={t}>
            {LABELS[t]}
          </option>
        ))}
      </select>
    </>
  );
}
