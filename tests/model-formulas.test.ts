// Hand-derived cases for each formula of docs/cost-model.md; the arithmetic is in the comments.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { activationBytesPerSample, activationTime, computeTimes, gemmTime } from "../src/model/compute.ts";
import { gatherEfficiency, zipfHitRate } from "../src/model/memory.ts";
import {
  allReduceOnShape,
  allReduceTime,
  allToAllOnShape,
  allToAllTime,
  COLLECTIVE_BASE_LATENCY_S as BASE,
  CollectiveShape,
  collectiveShape,
} from "../src/model/comm.ts";
import { buildWorkload, scaleCounts } from "../src/model/workload.ts";
import { buildNodeModel } from "../src/model/node.ts";
import { buildProblem } from "../src/spec/buildable.ts";
import { describeStack, pooledBytes, resolveStack } from "../src/model/software.ts";
import { PRIOR_PARAMS } from "../src/model/params.ts";
import { loadCatalog } from "../src/catalog/load.ts";
import { loadSpec } from "../src/spec/resolve.ts";

const close = (a: number, b: number, rel = 1e-9) => assert.ok(Math.abs(a - b) <= rel * Math.abs(b), `${a} != ${b}`);
const cat = loadCatalog();
const tco = loadSpec(new URL("./fixtures/tiny.yaml", import.meta.url).pathname).plan.tco;

/** A node's parts from catalog ids; the rest of the node as the worked cases below state it. */
function nodeParts(
  accelerator: string,
  count: number,
  fabric: string,
  cpu: string,
  rest: { gpus_per_host_link: number; host_memory_gb: number; nic: string; nics_per_node: number },
) {
  return {
    id: `${accelerator}-x${count}`,
    accelerator: cat.accelerators.get(accelerator)!,
    accelerators_per_node: count,
    fabric: cat.links.get(fabric)!,
    gpus_per_host_link: rest.gpus_per_host_link,
    cpu: cat.cpus.get(cpu)!,
    cpu_sockets: 2,
    host_memory_gb: rest.host_memory_gb,
    nic: cat.nics.get(rest.nic)!,
    nics_per_node: rest.nics_per_node,
    ssds_per_node: 0,
  };
}

test("C1: a GEMM's forward+backward work is 3 f (m + m_half) / (m peak e_max)", () => {
  // f = 1e9 FLOP over m = 64 rows, m_half = 64, peak 1e12 FLOP/s, e_max 0.5: 3 x 1e9 x 2 / 5e11 = 0.012 s
  close(gemmTime(1e9, 64, 1e12, 0.5, 64), 0.012);
  // a GEMM of m = m_half rows runs at half of e_max: 3 f / (peak x e_max/2) is the same 0.012 s
  close((3 * 1e9) / (1e12 * 0.25), gemmTime(1e9, 64, 1e12, 0.5, 64));
});

test("C1-a (plan worked example): a 1024x1024 layer at 16 rows on a V100 costs its work plus 3 kernel floors", () => {
  // f = 2 x 16 x 1024 x 1024 = 33,554,432 FLOP; eta = 0.8 x 16/80 = 0.16; f/(F eta) = 13.38 us at FP32 (15.67 TF)
  const f = 2 * 16 * 1024 * 1024;
  close(gemmTime(f, 16, 15.67e12, 0.8, 64) + 3 * 5e-6, 55.1e-6, 2e-3);
  // FP16 (125 TF): 3 x (5 + 1.68) = 20.0 us: the fixed part does not scale with 1/peak
  close(gemmTime(f, 16, 125e12, 0.8, 64) + 3 * 5e-6, 20.0e-6, 3e-3);
});

test("C3: 1,000 samples of 100 fp16 activations crossing a 1.2 GB/s memory 6 times take 1 ms", () => {
  // 1000 samples x 100 elements x 2 bytes x 6 passes = 1.2e6 bytes; / 1.2e9 B/s = 1e-3 s
  assert.ok(Math.abs(activationTime(1000, 100 * 2, 6, 1.2e9) - 1e-3) < 1e-15);
  // twice the passes or half the bandwidth: twice the time
  assert.ok(Math.abs(activationTime(1000, 100 * 2, 12, 1.2e9) - 2e-3) < 1e-15);
  assert.ok(Math.abs(activationTime(1000, 100 * 2, 6, 0.6e9) - 2e-3) < 1e-15);
});

test("C3: a stack that keeps its tables fp32 moves the pooled vectors at 4 bytes under fp16, the MLP's at 2", () => {
  // 900 MLP output elements and 26 x 128 = 3328 pooled elements per sample: 900 x 2 + 3328 x 4 = 15,112 bytes
  const w = { layerOutElems: 900, pooledElemsPerSample: 3328 } as Parameters<typeof activationBytesPerSample>[0];
  assert.equal(activationBytesPerSample(w, 2, 4), 15112);
  assert.equal(activationBytesPerSample(w, 2, 2), 8456); // HugeCTR: all of it at 2 bytes
  const stack = (name: string) => resolveStack(PRIOR_PARAMS, name);
  assert.equal(pooledBytes(stack("tensorflow"), 2), 4);
  assert.equal(pooledBytes(stack("pytorch@dle-2022"), 2), 4);
  assert.equal(pooledBytes(stack("hugectr"), 2), 2);
  assert.equal(pooledBytes(stack("tensorflow"), 4), 4); // fp32 training: fp32 everywhere
});

test("E1: a gather of rows as long as the half-row size reaches half of its maximum efficiency", () => {
  close(gatherEfficiency(64, 0.8, 64), 0.4); // 0.8 x 64 / 128
  close(gatherEfficiency(512, 0.8, 64), (0.8 * 512) / 576);
});

test("E4: Zipf hit rates of a cache holding 1% of a million rows", () => {
  close(zipfHitRate(0.01, 1e6, 0), 0.01); // uniform: the cached share
  close(zipfHitRate(0.01, 1e6, 1), Math.log(1e4) / Math.log(1e6)); // = 4/6
  close(zipfHitRate(0.01, 1e6, 0.5), (Math.sqrt(1e4) - 1) / (Math.sqrt(1e6) - 1)); // = 99/999
  close(zipfHitRate(1, 1e6, 1.2), 1);
});

test("N1: all-to-all inside one node and across two nodes", () => {
  // 8 devices, one node, 1 GB per device over 100 GB/s: all traffic stays on the fabric: 1e9/1e11 = 10 ms,
  // after the call's base latency (8.4 us, N1)
  close(allToAllTime(1e9, 8, 1, 1e11, 1e10, 0, 0).time, BASE + 0.01);
  // 2 nodes x 8: 7/15 of the traffic stays inside (4.67 ms); each node sends 8 x 1e9 x 8/15 bytes over 10 GB/s = 0.4267 s
  const t = allToAllTime(1e9, 8, 2, 1e11, 1e10, 0, 0);
  close(t.time, BASE + (8 * 1e9 * 8) / 15 / 1e10);
  close(t.nicTime, t.time - BASE);
});

test("C1-C3: the summed compute time equals eq. C1 layer by layer plus C2 and C3, for every catalog model", () => {
  // computeTimes sums eq. C1 in closed form (per-row multiply-adds of the bottom and top MLP); this is the same sum
  // written out per layer with gemmTime, over the bottom MLP at 4096 rows (C5) and the rest at 512
  for (const model of cat.models.values()) {
    const w = buildWorkload(model, {});
    const [b, bottom, peak, eff, half, bytes, passes, bw] = [512, 4096, 312e12, 0.6, 76, 2, 11, 2e12];
    let perLayer = 0;
    for (let i = 0; i < w.layerIn.length; i++) {
      const m = i < w.bottomLayers ? bottom : b;
      perLayer += gemmTime(2 * m * w.layerIn[i]! * w.layerOut[i]!, m, peak, eff, half);
    }
    if (w.interactionFlopPerSample > 0) perLayer += gemmTime(b * w.interactionFlopPerSample, b, peak, eff, half);
    const bottomElems = w.layerOut.slice(0, w.bottomLayers).reduce((a, x) => a + x, 0);
    perLayer += activationTime(b, (w.layerOutElems + w.pooledElemsPerSample) * bytes, passes, bw);
    perLayer += activationTime(bottom - b, bottomElems * bytes, passes, bw);
    close(computeTimes(w, b, bottom, peak, eff, half, bytes, bytes, passes, bw).total, perLayer, 1e-12);
  }
});

test("N3: a device's own NVLink ports cap the fabric's rate: an A800 on an A100 NVSwitch board gets 200 GB/s", () => {
  const board = (acc: string) =>
    nodeParts(acc, 8, "nvswitch2", "epyc-7742", {
      gpus_per_host_link: 2,
      host_memory_gb: 1024,
      nic: "cx6-hdr-200",
      nics_per_node: 8,
    });
  // A800: 400 GB/s both directions -> 200 GB/s each way; the A100 keeps the switch's 300 (its ports give 600 / 2)
  close(buildNodeModel(board("a800-sxm4-80gb"), tco).fabricArBw, 200e9, 1e-12);
  close(buildNodeModel(board("a100-sxm4-80gb"), tco).fabricArBw, 300e9, 1e-12);
  // and a user can compose it: the HGX A800 board is the A100's NVSwitch board
  const a800 = board("a800-sxm4-80gb");
  assert.is(
    buildProblem(a800, buildNodeModel(a800, tco), undefined, tco.chassis_overhead_fraction, (id) => id),
    0,
  );
});

test("N6: the trays of one NVL72 rack exchange over NVLink; a job beyond the rack crosses the NICs", () => {
  // GB200 trays of 4 GPUs on the NVL72 fabric: domain_devices 72 -> 18 trays per domain
  const parts = nodeParts("gb200-186gb", 4, "nvlink5-nvl72", "neoverse-v2", {
    gpus_per_host_link: 1,
    host_memory_gb: 960,
    nic: "cx7-ndr-400",
    nics_per_node: 4,
  });
  const tray = buildNodeModel(parts, tco);
  assert.is(tray.domainNodes, 18);
  // 16 trays x 4 GPUs in one rack: one group of 64 devices on NVLink (900 GB/s each), no NIC level
  const oneRack = collectiveShape(new CollectiveShape(), 4, 16, tray.domainNodes, 900e9, 50e9);
  assert.equal([oneRack.G, oneRack.T, oneRack.D, oneRack.domainArBw], [4, 16, 1, 3.6e12]);
  // all-to-all of 1 GB per device: every byte leaves the device over its own links, whether its peer is in the tray
  // or not; one step per peer in the tray, one for the 60 behind the switches: 1 GB / 900 GB/s + 4 x 1 us, no NIC
  const a2a = allToAllOnShape(1e9, oneRack, 900e9, 1e-6, 5e-6, { time: 0, nicTime: 0 });
  close(a2a.time, BASE + 1e9 / 900e9 + 4e-6);
  assert.is(a2a.nicTime, 0);
  // all-reduce of 1 GB: a ring in the tray (2 x 3/4 GB / 900 GB/s + 6 us), then among the 16 trays through their
  // 4 x 900 GB/s into the switches (2 x 15/16 GB / 3.6 TB/s + 30 us)
  const ar = allReduceOnShape(1e9, oneRack, 900e9, 1e-6, 5e-6, { time: 0, nicTime: 0 });
  close(ar.time, BASE + (1.5e9 / 900e9 + 6e-6) + (1.875e9 / 3.6e12 + 30e-6));
  assert.is(ar.nicTime, 0);
  // 19 trays: two racks, the trays spread 9.5 to a rack (on average), each rack's group of 38 devices joined to
  // the other by 9.5 x 50 GB/s of NICs; 38 of the 75 peers are across: 38 x 1 GB x 38/75 / 475 GB/s + 5 us
  const nineteen = collectiveShape(new CollectiveShape(), 4, 19, tray.domainNodes, 900e9, 50e9);
  assert.equal([nineteen.T, nineteen.D, nineteen.groupNicBw], [9.5, 2, 475e9]);
  const across = allToAllOnShape(1e9, nineteen, 900e9, 1e-6, 5e-6, { time: 0, nicTime: 0 });
  close(across.nicTime, (38e9 * (38 / 75)) / 475e9 + 5e-6);
  close(across.time, BASE + across.nicTime);
  // two trays are no faster than one pair of ports allows: 1 GB / 900 GB/s + 4 us, not the larger of the two levels
  const twoTrays = collectiveShape(new CollectiveShape(), 4, 2, tray.domainNodes, 900e9, 50e9);
  close(allToAllOnShape(1e9, twoTrays, 900e9, 1e-6, 5e-6, { time: 0, nicTime: 0 }).time, BASE + 1e9 / 900e9 + 4e-6);
  // ordinary nodes keep their NICs: T = 1, one group per node
  const plain = collectiveShape(new CollectiveShape(), 8, 16, 1, 450e9, 50e9);
  assert.equal([plain.G, plain.T, plain.D, plain.groupNicBw], [8, 1, 16, 50e9]);
  const plainAr = allReduceOnShape(1e9, plain, 450e9, 1e-6, 5e-6, { time: 0, nicTime: 0 });
  close(plainAr.time, allReduceTime(1e9, 8, 16, 450e9, 50e9, 1e-6, 5e-6).time);
  // no nodes, no devices: nothing to exchange
  const none = collectiveShape(new CollectiveShape(), 8, 0, 1, 450e9, 50e9);
  assert.is(allToAllOnShape(1e9, none, 450e9, 1e-6, 5e-6, { time: 0, nicTime: 0 }).time, 0);
  const plainA2a = allToAllOnShape(1e9, plain, 450e9, 1e-6, 5e-6, { time: 0, nicTime: 0 });
  close(plainA2a.time, allToAllTime(1e9, 8, 16, 450e9, 50e9, 1e-6, 5e-6).time);
});

test("N2: hierarchical ring all-reduce of 1 GB over 2 nodes of 8 devices", () => {
  // inside: 2 x 7/8 x 1e9 / 1e11 = 17.5 ms; across: 2 x 1/2 x 1e9 / 1e10 = 100 ms; total 117.5 ms + 8.4 us base
  const t = allReduceTime(1e9, 8, 2, 1e11, 1e10, 0, 0);
  close(t.time, BASE + 0.1175);
  close(t.nicTime, 0.1);
  assert.is(allReduceTime(1e9, 1, 1, 1, 1, 0, 0).time, 0);
});

test("workload: MLPerf DLRM-DCNv2's dense parameters count its three rank-512 cross layers", () => {
  const w = buildWorkload(cat.models.get("dlrm-dcnv2-mlperf")!, {});
  // d = 128 + 26 x 128 = 3456 (the top MLP's input); MLPs: bottom 171,392 (as DLRM v1) + top 3456x1024+1024 +
  // 1024x1024+1024 + 1024x512+512 + 512x256+256 + 256x1+1 = 5,245,953; cross: 3 x (U, V: 2 x 3456 x 512, bias 3456)
  // = 10,627,200; total 16,044,545: the cross layers are two thirds of the gradient the all-reduce carries (N2)
  assert.is(w.layerIn[3], 3456);
  assert.is(w.denseParams, 171392 + 5245953 + 10627200);
});

test("workload: MLPerf DLRM v1 has a 479-wide top MLP input and 2,368,897 dense parameters", () => {
  const w = buildWorkload(cat.models.get("dlrm-mlperf-v1")!, {});
  // dot interaction: 128 + 26 x 27 / 2 = 479 (the reference code's ln_top starts at 479)
  assert.is(w.layerIn[3], 479);
  // bottom: 13x512+512 + 512x256+256 + 256x128+128 = 171,392; top: 479x1024+1024 + 1024x1024+1024 + 1024x512+512
  // + 512x256+256 + 256x1+1 = 2,197,505; total 2,368,897
  assert.is(w.denseParams, 2368897);
  // tables: 187,767,399 rows x 128 x 4 B (SGD keeps no state) = 96,136,908,288 bytes
  assert.is(w.embBytes, 187767399 * 128 * 4);
  assert.is(w.lookupsPerSample, 26);
  // E0: per lookup 3 x 512 B (read forward, read+write backward), no optimizer state
  assert.is(w.embTrafficPerSample, 26 * 3 * 512);
});

test("workload axes: embedding_total_gb rescales rows, table_count_scale multiplies tables", () => {
  const m = cat.models.get("deeprecsys-rmc1")!; // 8 tables x 4M rows x 32 x 4 B = 4.096 GB
  const w = buildWorkload(m, { embedding_total_gb: 40.96 });
  close(w.embBytes, 40.96e9, 1e-6);
  assert.is(buildWorkload(m, { table_count_scale: 2 }).tables, 16);
  // 26 one-table groups halved: 13 tables remain (largest remainder, earlier groups first)
  assert.is(buildWorkload(cat.models.get("dlrm-mlperf-v1")!, { table_count_scale: 0.5 }).tables, 13);
  assert.equal(scaleCounts([50, 100, 150, 100], 0.5), [25, 50, 75, 50]);
  assert.equal(scaleCounts([1, 1, 1], 0.5), [1, 1, 0]); // round(1.5) = 2 tables
  // rowwise Adagrad keeps one float per row
  const p = buildWorkload(cat.models.get("production-scale")!, {});
  assert.is(p.tables, 400);
});

test("node: a dual Xeon Gold 6138 trainer has 5.12 TFLOPS fp32 and 256 GB/s of DRAM bandwidth", () => {
  const { plan } = loadSpec(new URL("./fixtures/tiny.yaml", import.meta.url).pathname);
  const cpuNode = buildNodeModel(plan.systems.find((s) => s.id === "cpu-skylake-2s")!, plan.tco);
  // 2 sockets x 20 cores x 2.0 GHz x 64 FLOP/cycle (AVX-512, 2 FMA units) = 5.12e12
  close(cpuNode.peakFlops[0]!, 5.12e12);
  // 6 channels x 2666 MT/s x 8 B = 127.968 GB/s per socket, stored as 128.0 in the catalog; two sockets: 256 GB/s
  close(cpuNode.dramBw, 2 * 128.0e9, 1e-9);
  assert.ok(Number.isNaN(cpuNode.peakFlops[2]!), "no fp16 math on a Skylake CPU");
});

test("N5: eight A100 PCIe cards on Cascade Lake hosts, two per switch uplink, run their links at Gen3's 16 GB/s", () => {
  const parts = nodeParts("a100-pcie-40gb", 8, "pcie4-x16", "xeon-gold-6248r", {
    gpus_per_host_link: 2,
    host_memory_gb: 768,
    nic: "cx6-hdr-200",
    nics_per_node: 1,
  });
  const gen3 = buildNodeModel(parts, tco);
  // the card is Gen4 (31.5 GB/s), the CPU Gen3: 16 GB/s per direction, shared by two cards, staged down and up
  close(gen3.hostLinkBw, 8e9, 1e-12);
  close(gen3.fabricArBw, 8e9, 1e-12);
  close(gen3.stagedBw, 4e9, 1e-12);
  // the same cards on Gen4 Ice Lake hosts keep their own 31.5 GB/s
  const gen4 = buildNodeModel({ ...parts, cpu: cat.cpus.get("xeon-platinum-8380")! }, tco);
  close(gen4.hostLinkBw, 31.5e9 / 2, 1e-12);
  // a Gen5 fabric and Gen5 hosts do not lift Gen4 cards above their own 31.5 GB/s
  const gen5 = buildNodeModel(
    { ...parts, cpu: cat.cpus.get("xeon-platinum-8458p")!, fabric: cat.links.get("pcie5-x16")! },
    tco,
  );
  close(gen5.fabricArBw, 31.5e9 / 2, 1e-12);
});

test("C5: a bottom MLP on one device runs its layers over the whole batch, the top MLP over the local one", () => {
  // one bottom layer 13 -> 512, one top layer 512 -> 1, no interaction; 1 TFLOP/s at full efficiency, no half-rows
  const w = {
    layerIn: [13, 512],
    layerOut: [512, 1],
    bottomLayers: 1,
    bottomMacsPerRow: 13 * 512,
    topMacsPerRow: 512,
    bottomOutElems: 512,
    layerOutElems: 513,
    interactionFlopPerSample: 0,
    pooledElemsPerSample: 0,
  } as unknown as Parameters<typeof computeTimes>[0];
  const local = computeTimes(w, 1024, 1024, 1e12, 1, 0, 2, 2, 0, 1e12).total;
  const oneDevice = computeTimes(w, 1024, 8192, 1e12, 1, 0, 2, 2, 0, 1e12).total;
  // 3 x 2 x rows x in x out / peak: bottom 6 x 1024 x 13 x 512 = 40.9 MFLOP, top 6 x 1024 x 512 = 3.1 MFLOP
  close(local, (6 * 1024 * 13 * 512 + 6 * 1024 * 512) / 1e12);
  close(oneDevice, (6 * 8192 * 13 * 512 + 6 * 1024 * 512) / 1e12);
  // with activation passes, the extra 7168 samples' 512 bottom outputs of 2 bytes cross memory 6 times
  const withActs = computeTimes(w, 1024, 8192, 1e12, 1, 0, 2, 2, 6, 1e12).total;
  close(withActs - oneDevice, (1024 * 513 * 2 * 6 + 7168 * 512 * 2 * 6) / 1e12);
});

test("C5 applies to NVIDIA's hybrid-parallel PyTorch DLRM releases only, not to other PyTorch stacks", () => {
  for (const r of ["dle-2020", "dle-2021", "dle-2022", "v0.7"])
    assert.ok(describeStack(`pytorch@${r}`).bottomMlpOnOneDevice);
  for (const s of ["pytorch", "pytorch@v1.0", "pytorch@other", "torchrec", "hugectr", "tensorflow"]) {
    assert.not.ok(describeStack(s).bottomMlpOnOneDevice, s);
  }
});

test.run();
