import type { Metadata } from "next";
import { ActivityList } from "@/components/activity/activity-list";

export const metadata: Metadata = { title: "Activity · Tokensmith" };

export default function Page() {
  return <ActivityList />;
}
