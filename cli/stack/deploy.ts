import type { DaemonApi } from '../connection';
import type { DesiredStack } from './convert-stack';
import { planDeploy } from './deploy-plan';

/** Where a deploy reports: progress lines (stdout) and warnings (stderr). */
export interface DeployOutput {
  line(text: string): void;
  warn(text: string): void;
}

/** A service a deploy wrote. */
export interface WrittenService {
  readonly id: string;
  readonly name: string;
}

/** The services a deploy created and updated, in the order it wrote them. */
export interface DeployResult {
  readonly created: readonly WrittenService[];
  readonly updated: readonly WrittenService[];
}

/**
 * Brings the cluster to a converted stack: reads every service and network, plans (failing before any
 * change when an external network is missing or a name is taken), then removes pruned services, creates
 * missing networks, creates new services and updates the ones whose spec differs, printing a line
 * each as docker does (`Creating network web_default`, `Updating service web_api (id: …)`).
 */
export async function deployStack(daemon: DaemonApi, desired: DesiredStack, prune: boolean, out: DeployOutput): Promise<DeployResult> {
  const [{ services }, { networks }] = await Promise.all([daemon.call('ServiceList', {}), daemon.call('NetworkList', {})]);
  const plan = planDeploy(desired, { services: services.map((s) => s.service), networks }, { prune });
  plan.warnings.forEach((w) => out.warn(w));
  for (const s of plan.remove) {
    out.line(`Removing service ${s.spec.name}`);
    await daemon.call('ServiceRemove', { ref: s.id });
  }
  for (const spec of plan.createNetworks) {
    out.line(`Creating network ${spec.name}`);
    await daemon.call('NetworkCreate', { spec });
  }
  const created: WrittenService[] = [];
  for (const spec of plan.create) {
    out.line(`Creating service ${spec.name}`);
    created.push({ id: (await daemon.call('ServiceCreate', { spec })).service.id, name: spec.name });
  }
  for (const change of plan.update) {
    out.line(`Updating service ${change.spec.name} (id: ${change.id})`);
    await daemon.call('ServiceUpdate', { ref: change.id, spec: change.spec, version: change.version });
  }
  return { created, updated: plan.update.map((u) => ({ id: u.id, name: u.spec.name })) };
}
