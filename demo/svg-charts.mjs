// Small inline-SVG charts for the report: line charts and box plots, no dependencies.

const WIDTH = 560;
const HEIGHT = 300;
const MARGIN = { left: 56, right: 150, top: 16, bottom: 40 };
export const PALETTE = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf'];

const escape = (text) => String(text).replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]);
const fmt = (v) => (Math.abs(v) >= 100 ? v.toFixed(0) : Math.abs(v) >= 1 ? v.toFixed(2) : v.toPrecision(2));

function ticks(min, max, count = 5) {
  if (min === max) return [min];
  return Array.from({ length: count }, (_, i) => min + ((max - min) * i) / (count - 1));
}

function frame(title, xLabel, yLabel, xRange, yRange, body, legend, { logY = false } = {}) {
  const [x0, x1] = xRange;
  const [y0, y1] = yRange;
  const plotW = WIDTH - MARGIN.left - MARGIN.right;
  const plotH = HEIGHT - MARGIN.top - MARGIN.bottom;
  const tickY = ticks(y0, y1).map((v) => {
    const y = MARGIN.top + plotH - ((v - y0) / (y1 - y0 || 1)) * plotH;
    return `<line x1="${MARGIN.left - 4}" x2="${MARGIN.left + plotW}" y1="${y}" y2="${y}" stroke="#eee"/><text x="${MARGIN.left - 6}" y="${y + 4}" text-anchor="end">${fmt(logY ? 10 ** v : v)}</text>`;
  });
  const tickX = ticks(x0, x1).map((v) => {
    const x = MARGIN.left + ((v - x0) / (x1 - x0 || 1)) * plotW;
    return `<text x="${x}" y="${MARGIN.top + plotH + 16}" text-anchor="middle">${fmt(v)}</text>`;
  });
  const legendItems = legend.map(({ label, color, dashed }, i) => {
    const y = MARGIN.top + 10 + i * 16;
    const x = WIDTH - MARGIN.right + 12;
    return `<line x1="${x}" x2="${x + 18}" y1="${y}" y2="${y}" stroke="${color}" stroke-width="2"${dashed ? ' stroke-dasharray="4 3"' : ''}/><text x="${x + 24}" y="${y + 4}">${escape(label)}</text>`;
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" font-family="sans-serif" font-size="11" role="img" aria-label="${escape(title)}">
<title>${escape(title)}</title>
${tickY.join('\n')}
${tickX.join('\n')}
<rect x="${MARGIN.left}" y="${MARGIN.top}" width="${plotW}" height="${plotH}" fill="none" stroke="#999"/>
<text x="${MARGIN.left + plotW / 2}" y="${HEIGHT - 6}" text-anchor="middle">${escape(xLabel)}</text>
<text transform="translate(14 ${MARGIN.top + plotH / 2}) rotate(-90)" text-anchor="middle">${escape(yLabel)}</text>
${body}
${legendItems.join('\n')}
</svg>`;
}

/**
 * series: [{ label, color, dashed?, points: [[x, y], …] }]. With logY the y axis is log10 (values must be > 0).
 */
export function lineChart({ title, xLabel, yLabel, series, logY = false, yMin, yMax }) {
  const transform = (y) => (logY ? Math.log10(Math.max(y, 1e-12)) : y);
  const all = series.flatMap((s) => s.points).filter(([, y]) => Number.isFinite(y));
  const xs = all.map(([x]) => x);
  const ys = all.map(([, y]) => transform(y));
  const x0 = Math.min(...xs);
  const x1 = Math.max(...xs);
  const y0 = yMin ?? Math.min(...ys);
  const y1 = yMax ?? Math.max(...ys);
  const plotW = WIDTH - MARGIN.left - MARGIN.right;
  const plotH = HEIGHT - MARGIN.top - MARGIN.bottom;
  const px = (x) => MARGIN.left + ((x - x0) / (x1 - x0 || 1)) * plotW;
  const py = (y) => MARGIN.top + plotH - ((transform(y) - y0) / (y1 - y0 || 1)) * plotH;
  const body = series
    .map((s) => {
      const points = s.points.filter(([, y]) => Number.isFinite(y)).map(([x, y]) => `${px(x).toFixed(1)},${py(y).toFixed(1)}`).join(' ');
      const dots = s.points.length <= 12 ? s.points.filter(([, y]) => Number.isFinite(y)).map(([x, y]) => `<circle cx="${px(x).toFixed(1)}" cy="${py(y).toFixed(1)}" r="2.5" fill="${s.color}"/>`).join('') : '';
      return `<polyline fill="none" stroke="${s.color}" stroke-width="1.6"${s.dashed ? ' stroke-dasharray="4 3"' : ''} points="${points}"/>${dots}`;
    })
    .join('\n');
  return frame(title, xLabel, yLabel, [x0, x1], [y0, y1], body, series, { logY });
}

/** groups: [{ label, values: [numbers] }]: one box (quartiles, whiskers to min/max, points) per group. */
export function boxPlot({ title, yLabel, groups }) {
  const all = groups.flatMap((g) => g.values);
  let y0 = Math.min(...all);
  let y1 = Math.max(...all);
  const pad = (y1 - y0) * 0.08 || 0.01;
  y0 -= pad;
  y1 += pad;
  const plotW = WIDTH - MARGIN.left - 20;
  const plotH = HEIGHT - MARGIN.top - MARGIN.bottom;
  const py = (y) => MARGIN.top + plotH - ((y - y0) / (y1 - y0)) * plotH;
  const slot = plotW / groups.length;
  const body = groups
    .map((g, i) => {
      const v = [...g.values].sort((a, b) => a - b);
      const q = (p) => {
        const pos = (v.length - 1) * p;
        const lo = Math.floor(pos);
        return v[lo] + (v[Math.ceil(pos)] - v[lo]) * (pos - lo);
      };
      const cx = MARGIN.left + slot * (i + 0.5);
      const w = Math.min(36, slot * 0.5);
      const color = PALETTE[i % PALETTE.length];
      const dots = v.map((value) => `<circle cx="${cx + w / 2 + 6}" cy="${py(value).toFixed(1)}" r="2" fill="${color}"/>`).join('');
      return `<line x1="${cx}" x2="${cx}" y1="${py(v[0])}" y2="${py(v.at(-1))}" stroke="#555"/>
<rect x="${cx - w / 2}" y="${py(q(0.75))}" width="${w}" height="${Math.max(1, py(q(0.25)) - py(q(0.75)))}" fill="${color}" fill-opacity="0.35" stroke="${color}"/>
<line x1="${cx - w / 2}" x2="${cx + w / 2}" y1="${py(q(0.5))}" y2="${py(q(0.5))}" stroke="#000" stroke-width="1.5"/>${dots}
<text x="${cx}" y="${MARGIN.top + plotH + 16}" text-anchor="middle">${escape(g.label)}</text>`;
    })
    .join('\n');
  const tickY = ticks(y0, y1).map((value) => `<line x1="${MARGIN.left - 4}" x2="${MARGIN.left + plotW}" y1="${py(value)}" y2="${py(value)}" stroke="#eee"/><text x="${MARGIN.left - 6}" y="${py(value) + 4}" text-anchor="end">${value.toFixed(3)}</text>`);
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" font-family="sans-serif" font-size="11" role="img" aria-label="${escape(title)}">
<title>${escape(title)}</title>
${tickY.join('\n')}
<rect x="${MARGIN.left}" y="${MARGIN.top}" width="${plotW}" height="${plotH}" fill="none" stroke="#999"/>
<text transform="translate(14 ${MARGIN.top + plotH / 2}) rotate(-90)" text-anchor="middle">${escape(yLabel)}</text>
${body}
</svg>`;
}

/**
 * Horizontal grouped bars: bars [{ label, values: [one per series] }], series [{ label, color }];
 * values ≥ 0 (importances, scores).
 */
export function barChart({ title, xLabel, bars, series }) {
  const rowH = 18;
  const left = 170;
  const plotW = WIDTH - left - 130;
  const height = MARGIN.top + bars.length * rowH * series.length + bars.length * 6 + MARGIN.bottom;
  const max = Math.max(...bars.flatMap((b) => b.values), 1e-12);
  let y = MARGIN.top;
  const body = bars
    .map((b) => {
      const group = b.values
        .map((v, s) => {
          const bar = `<rect x="${left}" y="${y}" width="${((v / max) * plotW).toFixed(1)}" height="${rowH - 4}" fill="${series[s].color}"/><text x="${left + (v / max) * plotW + 4}" y="${y + rowH - 7}">${fmt(v)}</text>`;
          y += rowH;
          return bar;
        })
        .join('');
      const label = `<text x="${left - 6}" y="${y - (rowH * series.length) / 2 + 4}" text-anchor="end">${escape(b.label)}</text>`;
      y += 6;
      return group + label;
    })
    .join('\n');
  const legend = series.map((s, i) => `<rect x="${WIDTH - 120}" y="${MARGIN.top + i * 16}" width="12" height="10" fill="${s.color}"/><text x="${WIDTH - 104}" y="${MARGIN.top + i * 16 + 9}">${escape(s.label)}</text>`);
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="sans-serif" font-size="11" role="img" aria-label="${escape(title)}">
<title>${escape(title)}</title>
${body}
<line x1="${left}" x2="${left}" y1="${MARGIN.top - 4}" y2="${y}" stroke="#999"/>
<text x="${left + plotW / 2}" y="${height - 10}" text-anchor="middle">${escape(xLabel)}</text>
${legend.join('\n')}
</svg>`;
}
