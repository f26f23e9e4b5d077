// The Health page's channel: the open workspace's audit, with the production rule and maximum rotation age from
// the app's settings, progress and cancel through the operation's context. Names and places only cross IPC.
import { MAX_HEALTH_FINDINGS, type HealthReport } from '../../shared/ipc/health-contract';
import type { AuditReport, Finding } from '../secrets';
import type { AppServices } from '../services';
import type { Handlers } from './router';

type HealthChannels = 'health:audit' | 'health:deleteOrphan';

function findingOut(f: Finding): HealthReport['findings'][number] {
  return {
    kind: f.kind,
    severity: f.severity,
    message: f.message,
    action: f.action,
    places: f.places.map((p) => Object.fromEntries(Object.entries(p).filter(([, v]) => v !== undefined))),
    omittedPlaces: f.omittedPlaces,
    ...(f.lastChanged !== undefined ? { lastChanged: f.lastChanged } : {}),
  };
}

/** The report as the contract carries it: at most MAX_HEALTH_FINDINGS findings (errors come first). */
export function healthReportOf(r: AuditReport): HealthReport {
  return {
    checkedAt: r.checkedAt,
    maxAgeDays: r.maxAgeDays,
    productionRule: r.productionRule,
    summary: r.summary,
    findings: r.findings.slice(0, MAX_HEALTH_FINDINGS).map(findingOut),
    omittedFindings: Math.max(0, r.findings.length - MAX_HEALTH_FINDINGS),
  };
}

export function createHealthHandlers(s: AppServices): Pick<Handlers, HealthChannels> {
  return {
    'health:audit': async ({ stacks }, ctx) => {
      const settings = await s.settings.get();
      const service = await s.session.secrets();
      const report = await service.audit({
        stacks,
        maxAgeDays: settings.rotationMaxAgeDays,
        production: settings.productionStacks,
        signal: ctx.signal,
        onProgress: (p) => ctx.progress(p),
      });
      return healthReportOf(report);
    },
    'health:deleteOrphan': async ({ provider, path }, ctx) => {
      const service = await s.session.secrets();
      return service.deleteOrphan({ provider, path, signal: ctx.signal });
    },
  };
}
