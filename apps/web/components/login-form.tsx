"use client";

import { useEffect, useState, type FormEvent } from "react";
import { useMutation } from "@tanstack/react-query";
import { useTRPC } from "@/lib/trpc";
import { errorMessage } from "@/lib/errors";
import { Button, Field, TextInput } from "./ui";

export function LoginForm() {
  const trpc = useTRPC();
  const [username, setUsername] = useState("");
  const [password, setPassword] = useState("");
  const [ready, setReady] = useState(false);
  useEffect(() => setReady(true), []);
  const login = useMutation(
    trpc.auth.login.mutationOptions({
      // A full navigation, so the server sees the new session cookie.
      onSuccess: () => window.location.assign("/tokens"),
    }),
  );

  function submit(event: FormEvent) {
    event.preventDefault();
    login.mutate({ username, password });
  }

  return (
    // method="post": a submit before the page is interactive must never put the password in a URL.
    <form
      method="post"
      onSubmit={submit}
      data-ready={ready || undefined}
      className="space-y-5 rounded-2xl bg-white p-6 shadow-sm ring-1 ring-slate-200"
      noValidate
    >
      {login.error && (
        <div role="alert" className="rounded-lg bg-red-50 px-3 py-2 text-sm text-red-700 ring-1 ring-inset ring-red-200">
          {errorMessage(login.error)}
        </div>
      )}
      <Field id="username" label="Username">
        <TextInput
          id="username"
          name="username"
          autoComplete="username"
          required
          value={username}
          onChange={(e) => setUsername(e.target.value)}
        />
      </Field>
      <Field id="password" label="Password">
        <TextInput
          id="password"
          name="password"
          type="password"
          autoComplete="current-password"
          required
          value={password}
          onChange={(e) => setPassword(e.target.value)}
        />
      </Field>
      <Button type="submit" className="w-full" disabled={login.isPending || login.isSuccess || !username || !password}>
        {login.isPending ? "Signing in…" : "Sign in"}
      </Button>
    </form>
  );
}
