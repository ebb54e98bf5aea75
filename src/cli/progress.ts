// The progress line of a long run, on stderr: a redrawn line on a terminal, a plain line every few seconds otherwise.

export function progressPrinter(quiet: boolean) {
  const t0 = performance.now();
  let last = 0;
  const tty = process.stderr.isTTY;
  const fn = (done: number, total: number) => {
    if (quiet) return;
    const now = performance.now();
    if (now - last < (tty ? 100 : 5000) && done < total) return;
    last = now;
    const secs = (now - t0) / 1000;
    const rate = done / Math.max(secs, 1e-9);
    const eta = rate > 0 ? (total - done) / rate : 0;
    const percent = ((100 * done) / total).toFixed(1);
    const speed = `${Math.round(rate)} points/s, ETA ${eta.toFixed(0)} s`;
    const line = `recsweep: ${done}/${total} points (${percent}%), ${speed}`;
    if (tty) process.stderr.write(`\r\x1b[2K${line}`);
    else process.stderr.write(`${line}\n`);
  };
  fn.end = () => {
    if (!quiet && tty) process.stderr.write("\n");
  };
  return fn;
}
