import type { Metadata } from "next";
import DashboardLayout from "./(dashboard)/layout";
import { NotFoundView } from "@/components/not-found-view";

export const metadata: Metadata = { title: "Not found · Tokensmith" };

/**
 * Any unknown address. Only a signed-in person gets this far (the server sends everyone else to
 * /login), so it is shown inside the dashboard's own header, with a way back.
 */
export default function NotFound() {
  return (
    <DashboardLayout>
      <NotFoundView title="Page not found">There is nothing at this address.</NotFoundView>
    </DashboardLayout>
  );
}
