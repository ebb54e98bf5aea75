// Catalog systems as the parts the model builds a node from.
import type { NodeParts } from "../model/node.ts";
import type { System } from "../schema/catalog.ts";
import type { Catalog } from "./load.ts";

/** The catalog system that serves as parameter server and reader node unless a spec names another (ps_system). */
export { DEFAULT_PS_SYSTEM } from "../schema/vocab.ts";

/** The parts of a system (a catalog entry or a spec's compose), looked up in the catalog; ids must exist. */
export function systemParts(cat: Catalog, id: string, s: Omit<System, "id" | "sources" | "name" | "kind">): NodeParts {
  const parts: NodeParts = {
    id,
    accelerators_per_node: s.accelerators_per_node,
    fabric: cat.links.get(s.fabric)!,
    gpus_per_host_link: s.gpus_per_host_link ?? 1,
    cpu: cat.cpus.get(s.host_cpu)!,
    cpu_sockets: s.cpu_sockets,
    host_memory_gb: s.host_memory_gb,
    nic: cat.nics.get(s.nic)!,
    nics_per_node: s.nics_per_node,
    ssds_per_node: s.ssd ? (s.ssds_per_node ?? 1) : 0,
  };
  if (s.accelerator) parts.accelerator = cat.accelerators.get(s.accelerator)!;
  if (s.host_link) parts.host_link = cat.links.get(s.host_link)!;
  if (s.ssd) parts.ssd = cat.storage.get(s.ssd)!;
  if (s.price_usd !== undefined) parts.price_usd = s.price_usd;
  if (s.cloud_usd_per_node_hour !== undefined) parts.cloud_usd_per_node_hour = s.cloud_usd_per_node_hour;
  return parts;
}
