// What calibration and validation share: the catalog, TCO figures and the reader/PS node model.
import { loadCatalog, type Catalog } from "../catalog/load.ts";
import { buildNodeModel, type NodeModel } from "../model/node.ts";
import type { Tco } from "../schema/catalog.ts";
import { DEFAULT_PS_SYSTEM, systemParts } from "../catalog/systems.ts";

export interface CalibrationContext {
  cat: Catalog;
  tco: Tco;
  psNode: NodeModel;
  /** the user's catalog folder, if any (refit workers load the same catalog) */
  catalogDir?: string;
}

export function calibrationContext(catalogDir?: string): CalibrationContext {
  const cat = loadCatalog(catalogDir);
  const tco = cat.tco.get("default-tco") ?? [...cat.tco.values()][0]!;
  return {
    cat,
    tco,
    ...(catalogDir === undefined ? {} : { catalogDir }),
    psNode: buildNodeModel(systemParts(cat, DEFAULT_PS_SYSTEM, cat.systems.get(DEFAULT_PS_SYSTEM)!), tco),
  };
}
