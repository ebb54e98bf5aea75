// Cloud rates on one provider's basis (hardware/tco.json cloud_providers): which provider a spec chooses, and the
// node rate each system gets from it. A comparison never mixes providers or tiers (docs/cost-model.md, eq. K2).
import { buildNodeModel, type NodeParts } from "../model/node.ts";
import type { CloudProvider, CloudRate, Tco } from "../schema/catalog.ts";
import type { Plan } from "./plan.ts";

/** The provider a cloud-basis spec prices with, or null where the catalog has only the legacy per-accelerator map. */
export function chooseCloudProvider(tco: Tco, requested: string | undefined): CloudProvider | null {
  const providers = tco.cloud_providers ?? [];
  const id = requested ?? tco.default_cloud_provider ?? providers[0]?.id;
  if (id === undefined) return null;
  const found = providers.find((p) => p.id === id);
  if (!found) {
    const known = providers.map((p) => p.id).join(", ") || "none";
    throw new Error(`cost.cloud_provider "${id}" is not in the catalog's cloud_providers (known: ${known})`);
  }
  return found;
}

/** "aws on-demand (us-east-1)": the basis in words, for the CLI, the manifest and the report. */
export function describeProvider(p: CloudProvider): string {
  return `${p.id} ${p.tier}${p.region ? ` (${p.region})` : ""}`;
}

export interface NodeCloudRate {
  usdPerNodeHour: number;
  /** where the rate comes from, e.g. "p5.48xlarge, 55.04 USD/h for 8 GPUs (datareceipts..., 2026-11-09)" */
  how: string;
}

const cite = (r: CloudRate): string => `${r.instance ? `${r.instance}; ` : ""}${r.ref}, ${r.date}`;

/**
 * A node's rate on a provider's basis: the node's own cloud_usd_per_node_hour (a composed node or a catalog entry),
 * else the provider's rate for that catalog system, else accelerators x the provider's rate for its accelerator.
 * Null: no price on this basis.
 */
export function nodeCloudRate(parts: NodeParts, provider: CloudProvider | null, tco: Tco): NodeCloudRate | null {
  if (parts.cloud_usd_per_node_hour !== undefined)
    return { usdPerNodeHour: parts.cloud_usd_per_node_hour, how: "the system's own cloud_usd_per_node_hour" };
  const acc = parts.accelerators_per_node > 0 ? parts.accelerator : undefined;
  if (!provider) {
    const legacy = acc ? tco.cloud_usd_per_accelerator_hour?.[acc.id] : undefined;
    return legacy === undefined
      ? null
      : { usdPerNodeHour: parts.accelerators_per_node * legacy, how: "catalog cloud_usd_per_accelerator_hour" };
  }
  const bySystem = provider.rates.find((r) => r.system === parts.id);
  if (bySystem?.usd_per_node_hour !== undefined)
    return { usdPerNodeHour: bySystem.usd_per_node_hour, how: cite(bySystem) };
  if (bySystem?.usd_per_accelerator_hour !== undefined && acc)
    return { usdPerNodeHour: parts.accelerators_per_node * bySystem.usd_per_accelerator_hour, how: cite(bySystem) };
  const byAcc = acc ? provider.rates.find((r) => r.accelerator === acc.id && r.system === undefined) : undefined;
  if (byAcc?.usd_per_accelerator_hour !== undefined)
    return { usdPerNodeHour: parts.accelerators_per_node * byAcc.usd_per_accelerator_hour, how: cite(byAcc) };
  return null;
}

/** The parts with the provider's node rate filled in where the node has none of its own (NaN cost stays absent). */
export function withCloudRate(parts: NodeParts, provider: CloudProvider | null, tco: Tco): NodeParts {
  const rate = nodeCloudRate(parts, provider, tco);
  if (!rate || parts.cloud_usd_per_node_hour !== undefined) return parts;
  return { ...parts, cloud_usd_per_node_hour: rate.usdPerNodeHour };
}

export interface Unpriced {
  id: string;
  /** "trainer" or "parameter servers and readers" */
  role: string;
}

/** The plan's nodes without a price on its cost basis: their points are infeasible (no-price). */
export function unpricedSystems(plan: Plan): Unpriced[] {
  if (plan.cloudBasis && plan.cloudUsdPerNodeHour !== null) return [];
  const lacks = (p: NodeParts) => {
    const node = buildNodeModel(p, plan.tco);
    return !Number.isFinite(plan.cloudBasis ? node.cloudUsdPerHour : node.priceUsd);
  };
  const out: Unpriced[] = plan.systems.filter(lacks).map((s) => ({ id: s.id, role: "trainer" }));
  const usesPs = plan.readers || plan.placements.some((v) => v.psNodes > 0);
  if (usesPs && lacks(plan.psSystem)) out.push({ id: plan.psSystem.id, role: "parameter servers and readers" });
  return out;
}
