// Layer rules of src/ (docs/architecture.md states the same rules in words). `npm run lint` and the test
// "every import follows the layer rules" check them with dependency-cruiser.
/** What each folder of src/ may import from src/, besides itself and src/paths.ts (the project's file locations). */
const mayImport = {
  schema: [],
  input: ["schema"],
  catalog: ["input", "schema", "model"],
  model: ["schema"],
  fit: ["model", "input"],
  spec: ["input", "catalog", "model", "fit", "schema"],
  space: ["spec", "schema"],
  frontier: ["space", "spec", "model", "schema"],
  engine: ["frontier", "space", "model", "spec", "schema"],
  output: ["frontier", "space", "model", "spec", "schema", "input", "calibrate"],
  report: ["input", "schema"],
  calibrate: ["catalog", "model", "fit", "input", "schema"],
  run: ["engine", "frontier", "output", "report", "space", "spec", "catalog", "input", "model", "schema"],
  bench: ["engine", "run", "space", "spec", "model", "cli"],
  cli: ["*"],
};

const layerRules = Object.entries(mayImport)
  .filter(([, allowed]) => !allowed.includes("*"))
  .map(([folder, allowed]) => ({
    name: `layer-${folder}`,
    comment: `src/${folder}/ may import only: ${allowed.length ? allowed.join(", ") : "nothing else in src/"}`,
    severity: "error",
    from: { path: `^src/${folder}/` },
    to: { path: "^src/", pathNot: `^src/(${[folder, ...allowed].join("|")})/|^src/paths\\.ts$` },
  }));

module.exports = {
  forbidden: [
    ...layerRules,
    {
      name: "no-circular",
      comment: "no import circles anywhere in src/",
      severity: "error",
      from: { path: "^src/" },
      to: { circular: true },
    },
    {
      name: "model-without-typebox",
      comment: "worker threads load the model: it imports schema types and schema/vocab.ts only, never TypeBox",
      severity: "error",
      from: { path: "^src/model/" },
      to: { path: "^src/schema/", pathNot: "^src/schema/vocab\\.ts$", dependencyTypesNot: ["type-only"] },
    },
    {
      name: "output-without-engine-or-run",
      comment:
        "the output layer only writes and reads files: nothing from the engine or the run module, types included",
      severity: "error",
      from: { path: "^src/output/" },
      to: { path: "^src/(engine|run)/" },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    exclude: { path: "^(dist|node_modules)/" },
  },
};
