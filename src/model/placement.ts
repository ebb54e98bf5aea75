// Placement codes of the kernel: a placement's index in PLACEMENTS (src/schema/vocab.ts). The hot loop compares
// small integers; everything outside it names placements (see scorePoint in score-point.ts).
import { PLACEMENTS, type Placement } from "../schema/vocab.ts";

export const PLACEMENT_INDEX = Object.fromEntries(PLACEMENTS.map((p, i) => [p, i])) as Record<Placement, number>;

export const P_TABLE = PLACEMENT_INDEX["hbm-table-wise"];
export const P_ROW = PLACEMENT_INDEX["hbm-row-wise"];
export const P_COL = PLACEMENT_INDEX["hbm-column-wise"];
export const P_REPL = PLACEMENT_INDEX["hbm-replicated"];
export const P_HOST = PLACEMENT_INDEX["host-dram"];
export const P_CACHE = PLACEMENT_INDEX["hbm-cache"];
export const P_CPU = PLACEMENT_INDEX["host-cpu-lookup"];
export const P_PS = PLACEMENT_INDEX["remote-ps"];
export const P_SSD = PLACEMENT_INDEX["ssd-cached"];
export const P_AUTO = PLACEMENT_INDEX.auto;
export const P_HYBRID = PLACEMENT_INDEX["hbm-hybrid"];
