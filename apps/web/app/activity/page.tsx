import type { Metadata } from "next";
import { AppHeader } from "@/components/app-header";
import { ActivityList } from "@/components/activity/activity-list";

export const metadata: Metadata = { title: "Activity · Tokensmith" };

export default function ActivityPage() {
  return (
    <>
      <AppHeader />
      <main className="mx-auto max-w-6xl px-4 py-8 sm:px-6">
        <ActivityList />
      </main>
    </>
  );
}
