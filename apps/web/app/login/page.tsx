import type { Metadata } from "next";
import { LoginForm } from "@/components/login-form";

export const metadata: Metadata = { title: "Sign in · Tokensmith" };

export default function LoginPage() {
  return (
    <main className="flex min-h-screen items-center justify-center px-4">
      <div className="w-full max-w-sm">
        <div className="mb-8 text-center">
          <div className="mx-auto mb-3 flex h-11 w-11 items-center justify-center rounded-xl bg-indigo-600 text-xl font-bold text-white">
            T
          </div>
          <h1 className="text-2xl font-semibold tracking-tight">Sign in to Tokensmith</h1>
          <p className="mt-1 text-sm text-fg-muted">Issue and revoke access tokens for your APIs.</p>
        </div>
        <LoginForm />
      </div>
    </main>
  );
}
