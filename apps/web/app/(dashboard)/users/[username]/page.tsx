import type { Metadata } from "next";
import { UserScreen } from "@/components/users/user-screen";

export const metadata: Metadata = { title: "User · Tokensmith" };

/** One user's page (administrators): who they are, and their tokens. */
export default async function Page({ params }: { params: Promise<{ username: string }> }) {
  const { username } = await params;
  let name = username;
  try {
    name = decodeURIComponent(username);
  } catch {
    // Not percent-encoding after all: the name as given (it matches no user).
  }
  return <UserScreen username={name} />;
}
