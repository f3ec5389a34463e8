// Progress of the demo's training runs, from fit's callbacks. On a terminal: one status line
// rewritten in place ("\r"), with the epoch, batch and batch loss of the run in progress (redrawn at
// most every 100 ms, so that drawing costs nothing next to training). Elsewhere (a pipe, a file, CI
// logs): one plain line per finished run, since "\r" would pile up there.

/**
 * @param stream a writable stream with `isTTY` and `columns` when it is a terminal (process.stdout)
 * @returns { callbacks(): fit callbacks for one run, clear(): removes the status line before other output }
 */
export function trainingProgress(stream) {
  const terminal = Boolean(stream.isTTY);
  let runs = 0;
  let lineShown = false;
  let lastDrawn = 0;
  const draw = (text) => {
    const width = Math.max(20, (stream.columns || 80) - 1); // columns is 0 on a terminal of unknown size
    stream.write(`\r${text.slice(0, width).padEnd(width)}`);
    lineShown = true;
  };
  return {
    clear() {
      if (!lineShown) return;
      stream.write('\r\x1b[2K');
      lineShown = false;
    },
    callbacks() {
      const run = ++runs;
      const started = performance.now();
      let plan = null;
      return {
        onTrainBegin: (logs) => void (plan = logs),
        onBatchEnd: terminal
          ? (batch, logs) => {
              const now = performance.now();
              if (now - lastDrawn < 100) return;
              lastDrawn = now;
              draw(`  training run ${run}: epoch ${logs.epoch}/${plan.epochs}, batch ${batch + 1}/${plan.batchesPerEpoch}, batch loss ${logs.loss.toFixed(4)}`);
            }
          : undefined,
        onTrainEnd: (result) => {
          const last = result.history.at(-1);
          const validation = last === undefined || Number.isNaN(last.validationLoss) ? '' : `, validation loss ${last.validationLoss.toFixed(4)}`;
          const line = `  training run ${run}: ${result.history.length} epochs, train loss ${last?.trainLoss.toFixed(4)}${validation} (${((performance.now() - started) / 1000).toFixed(1)} s)`;
          if (terminal) draw(line);
          else stream.write(`${line}\n`);
        },
      };
    },
  };
}
