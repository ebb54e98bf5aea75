const { loadSpec } = await import("/work/main/dist/src/spec/resolve.js");
const { rawLoopSeconds } = await import("/work/main/dist/src/bench/raw-loop.js");
const { plan } = loadSpec("/work/main/sweeps/bench.yaml");
console.log(rawLoopSeconds(plan, 0, 10321920).toFixed(2), "s");
