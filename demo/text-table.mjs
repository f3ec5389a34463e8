// Fixed-width console tables.

/** Prints rows (arrays of strings/numbers) under a header, right-aligning every column but the first. */
export function printTable(log, header, rows) {
  const cells = [header, ...rows].map((row) => row.map(String));
  const widths = header.map((_, j) => Math.max(...cells.map((row) => row[j].length)));
  const line = (row) => row.map((cell, j) => (j === 0 ? cell.padEnd(widths[j]) : cell.padStart(widths[j]))).join('  ');
  log(line(cells[0]));
  log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const row of cells.slice(1)) log(line(row));
}
