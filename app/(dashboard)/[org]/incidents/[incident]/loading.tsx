import { IncidentSkeleton } from "@/components/incidents/incident-page";

export default function Loading() {
  return <IncidentSkeleton />;
}
