import { AuditChain } from './audit-chain';
import { AuditEvents } from './audit-events';
import { PointInTime } from './point-in-time';

/** The auditor's page (audit:read): chain verification, point in time, and the event table. */
export function AuditPage({ projectId }: { projectId: string }) {
  return (
    <main>
      <h1>Audit of {projectId}</h1>
      <AuditChain projectId={projectId} />
      <PointInTime projectId={projectId} />
      <AuditEvents projectId={projectId} />
    </main>
  );
}
