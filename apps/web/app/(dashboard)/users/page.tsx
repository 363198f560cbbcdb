import type { Metadata } from "next";
import { UsersScreen } from "@/components/users/users-screen";

export const metadata: Metadata = { title: "Users · Tokensmith" };

export default function Page() {
  return <UsersScreen />;
}
