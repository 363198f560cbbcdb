import { redirect } from "next/navigation";

/** The server sends / to /tokens or /login before Next sees it; this is the fallback. */
export default function Home() {
  redirect("/tokens");
}
