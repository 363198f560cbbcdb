import { Badge } from "../ui";

/** Sets a service account (and its tokens and actions) apart from a person wherever names are listed. */
export function ServiceBadge() {
  return (
    <Badge tone="blue" title="A service account: not a person">
      Service
    </Badge>
  );
}

/** Beside the owner's name in the admin token views: a service account's token, not a person's. */
export function OwnerKind({ token }: { token: { accountType?: "person" | "service" } }) {
  return token.accountType === "service" ? <span className="ml-2"><ServiceBadge /></span> : null;
}
