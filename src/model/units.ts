// The one place where catalog units become SI units (bytes, bytes/s, FLOP/s, seconds, watts).
export const GB = 1e9; // catalog GB are decimal gigabytes (vendor nominal)
export const gbToBytes = (gb: number) => gb * GB;
export const gbPerSToBytesPerS = (gbPerS: number) => gbPerS * GB;
export const gbitPerSToBytesPerS = (gbit: number) => (gbit * 1e9) / 8;
export const tflopsToFlops = (tflops: number) => tflops * 1e12;
export const gflopToFlop = (gflop: number) => gflop * 1e9;
export const ghzToHz = (ghz: number) => ghz * 1e9;
export const usToS = (us: number) => us * 1e-6;
export const HOURS_PER_YEAR = 8760;
export const SECONDS_PER_HOUR = 3600;
export const wattsToKw = (w: number) => w / 1000;
/** bytes per element of a stored or communicated value */
export const BYTES_PER: Record<string, number> = { fp32: 4, tf32: 4, fp16: 2, bf16: 2, fp8: 1, int8: 1 };
/**
 * Bytes per activation element when the MLPs compute in a precision: 32-bit formats keep 4, the 16-bit formats 2,
 * and fp8 training keeps its activations in 16 bits too (fp8 is the GEMM input format, eq. C3/E8).
 */
export const ACTIVATION_BYTES_PER: Record<string, number> = { fp32: 4, tf32: 4, fp16: 2, bf16: 2, fp8: 2 };
