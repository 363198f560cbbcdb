"use client";

import { useEffect, useState, type FormEvent } from "react";
import { useMutation } from "@tanstack/react-query";
import { useTRPC } from "@/lib/trpc";
import { errorMessage, isTransient } from "@/lib/errors";
import { rememberMe } from "@/lib/use-me";
import { Button, Field, Notice, TextInput } from "./ui";

export function LoginForm() {
  const trpc = useTRPC();
  const [username, setUsername] = useState("");
  const [password, setPassword] = useState("");
  const [ready, setReady] = useState(false);
  useEffect(() => setReady(true), []);
  const login = useMutation(
    trpc.auth.login.mutationOptions({
      // A full navigation, so the server sees the new session cookie.
      onSuccess: (me) => {
        rememberMe(me);
        window.location.assign("/tokens");
      },
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
      className="space-y-5 rounded-2xl bg-surface p-6 shadow-sm ring-1 ring-line"
      noValidate
    >
      {login.error && (
        <Notice>
          <span>{errorMessage(login.error)}</span>
          {/* A refused password needs a new one; a network or server failure only another try. */}
          {isTransient(login.error) && (
            <Button variant="secondary" size="sm" className="ml-2" onClick={() => login.mutate({ username, password })}>
              Retry
            </Button>
          )}
        </Notice>
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
