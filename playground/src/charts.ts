// Minimal canvas line charts for the loss curves.

export interface Series {
  values: ArrayLike<number>;
  color: string;
  width?: number;
  alpha?: number;
  dash?: number[];
}

export function lineChart(canvas: HTMLCanvasElement, series: readonly Series[], { xLabel, yLabel, xMax }: { xLabel: string; yLabel: string; xMax: number }): void {
  const context = canvas.getContext('2d')!;
  const { width, height } = canvas;
  const left = 44, right = 10, top = 10, bottom = 30;
  context.clearRect(0, 0, width, height);
  context.fillStyle = '#fff';
  context.fillRect(0, 0, width, height);
  let yMax = 0;
  for (const s of series) for (let i = 0; i < s.values.length; i++) if (Number.isFinite(s.values[i])) yMax = Math.max(yMax, s.values[i]);
  yMax = yMax > 0 ? niceCeiling(yMax) : 1;
  const px = (i: number) => left + (i / Math.max(xMax, 1)) * (width - left - right);
  const py = (v: number) => top + (1 - Math.min(v, yMax) / yMax) * (height - top - bottom);
  context.strokeStyle = '#e5e7eb';
  context.fillStyle = '#6b7280';
  context.font = '11px system-ui, sans-serif';
  context.lineWidth = 1;
  context.textAlign = 'right';
  context.textBaseline = 'middle';
  for (let k = 0; k <= 4; k++) {
    const v = (yMax * k) / 4;
    context.beginPath();
    context.moveTo(left, py(v));
    context.lineTo(width - right, py(v));
    context.stroke();
    context.fillText(String(Number(v.toPrecision(2))), left - 4, py(v));
  }
  context.textAlign = 'center';
  context.textBaseline = 'top';
  for (let k = 0; k <= 4; k++) {
    const i = Math.round((xMax * k) / 4);
    context.fillText(String(i), px(i), height - bottom + 4);
  }
  context.fillText(xLabel, (left + width - right) / 2, height - 13);
  context.save();
  context.translate(11, (top + height - bottom) / 2);
  context.rotate(-Math.PI / 2);
  context.textBaseline = 'middle';
  context.fillText(yLabel, 0, 0);
  context.restore();
  for (const s of series) {
    context.strokeStyle = s.color;
    context.globalAlpha = s.alpha ?? 1;
    context.lineWidth = s.width ?? 2;
    context.setLineDash(s.dash ?? []);
    context.beginPath();
    for (let i = 0; i < s.values.length; i++) {
      if (i === 0) context.moveTo(px(i + 1), py(s.values[i]));
      else context.lineTo(px(i + 1), py(s.values[i]));
    }
    context.stroke();
  }
  context.globalAlpha = 1;
  context.setLineDash([]);
}

function niceCeiling(v: number): number {
  const power = 10 ** Math.floor(Math.log10(v));
  for (const m of [1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10]) if (m * power >= v) return m * power;
  return 10 * power;
}
