// A filled contour plot of a surface on a canvas (log scale of f − fMin, in bands, which also keeps
// screenshots small), with the trajectories drawn over it.
import type { Racer } from './race.js';
import type { Point, Surface } from './surfaces.js';

const BANDS = 18;
// Slate greys, dark (high loss) to white (low loss): every path colour stands out on them.
const PALETTE = ['#6b7486', '#8a92a2', '#a9afbc', '#c6cbd4', '#dde0e6', '#eef0f3', '#ffffff'].map(hexToRgb);

function hexToRgb(hex: string): [number, number, number] {
  const n = parseInt(hex.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

function paletteAt(t: number): [number, number, number] {
  const s = Math.min(Math.max(t, 0), 1) * (PALETTE.length - 1);
  const i = Math.min(Math.floor(s), PALETTE.length - 2);
  const f = s - i;
  const a = PALETTE[i], b = PALETTE[i + 1];
  return [a[0] + (b[0] - a[0]) * f, a[1] + (b[1] - a[1]) * f, a[2] + (b[2] - a[2]) * f];
}

export class ContourPlot {
  readonly canvas: HTMLCanvasElement;
  /** The contours alone, copied under the paths at every redraw. */
  readonly background: HTMLCanvasElement;
  private surface: Surface | null = null;

  constructor(canvas: HTMLCanvasElement) {
    this.canvas = canvas;
    this.background = document.createElement('canvas');
    this.background.width = canvas.width;
    this.background.height = canvas.height;
  }

  /** Canvas pixel of a point of the plane (y up). */
  toPixel(x: number, y: number): Point {
    const s = this.surface!;
    return [
      ((x - s.xRange[0]) / (s.xRange[1] - s.xRange[0])) * this.canvas.width,
      ((s.yRange[1] - y) / (s.yRange[1] - s.yRange[0])) * this.canvas.height,
    ];
  }

  toPlane(px: number, py: number): Point {
    const s = this.surface!;
    return [
      s.xRange[0] + (px / this.canvas.width) * (s.xRange[1] - s.xRange[0]),
      s.yRange[1] - (py / this.canvas.height) * (s.yRange[1] - s.yRange[0]),
    ];
  }

  setSurface(surface: Surface): void {
    if (this.surface === surface) return;
    this.surface = surface;
    const { width, height } = this.background;
    const level = new Float64Array(width * height);
    let lo = Infinity, hi = -Infinity;
    for (let py = 0; py < height; py++) {
      for (let px = 0; px < width; px++) {
        const [x, y] = this.toPlane(px + 0.5, py + 0.5);
        const z = Math.log10(Math.max(surface.f(x, y) - surface.fMin, 0) + 1e-3);
        level[py * width + px] = z;
        if (z < lo) lo = z;
        if (z > hi) hi = z;
      }
    }
    const band = new Int32Array(width * height);
    for (let i = 0; i < band.length; i++) band[i] = Math.min(BANDS - 1, Math.floor(((level[i] - lo) / (hi - lo)) * BANDS));
    const context = this.background.getContext('2d')!;
    const image = context.createImageData(width, height);
    for (let py = 0; py < height; py++) {
      for (let px = 0; px < width; px++) {
        const i = py * width + px;
        const [r, g, b] = paletteAt(1 - (band[i] + 0.5) / BANDS);
        // A thin darker line where the band changes: the contour itself.
        const edge = (px + 1 < width && band[i + 1] !== band[i]) || (py + 1 < height && band[i + width] !== band[i]);
        const shade = edge ? 0.85 : 1;
        image.data.set([r * shade, g * shade, b * shade, 255], 4 * i);
      }
    }
    context.putImageData(image, 0, 0);
    context.strokeStyle = '#ffd700';
    context.lineWidth = 2;
    for (const [x, y] of surface.minima) {
      const [px, py] = this.toPixel(x, y);
      drawStar(context, px, py, 7);
    }
  }

  draw(racers: readonly Racer[], start: Point): void {
    const context = this.canvas.getContext('2d')!;
    context.drawImage(this.background, 0, 0);
    const [sx, sy] = this.toPixel(start[0], start[1]);
    context.fillStyle = '#fff';
    context.strokeStyle = '#000';
    context.lineWidth = 1.5;
    context.beginPath();
    context.arc(sx, sy, 5, 0, 2 * Math.PI);
    context.fill();
    context.stroke();
    context.lineJoin = 'round';
    context.lineCap = 'round';
    for (const r of racers) {
      if (!r.enabled) continue;
      const path = r.path;
      context.strokeStyle = r.spec.color;
      context.lineWidth = 2.5;
      context.beginPath();
      for (let i = 0; i < path.length; i += 2) {
        const [px, py] = this.clampedPixel(path[i], path[i + 1]);
        if (i === 0) context.moveTo(px, py);
        else context.lineTo(px, py);
      }
      context.stroke();
      const [hx, hy] = this.clampedPixel(path[path.length - 2], path[path.length - 1]);
      context.fillStyle = r.spec.color;
      context.beginPath();
      context.arc(hx, hy, 4.5, 0, 2 * Math.PI);
      context.fill();
      context.strokeStyle = '#fff';
      context.lineWidth = 1;
      context.stroke();
    }
  }

  /** Far-away points (a diverging run) as pixels the canvas can still draw lines to. */
  private clampedPixel(x: number, y: number): Point {
    const [px, py] = this.toPixel(x, y);
    const limit = 1e5;
    const clamp = (v: number) => (Number.isNaN(v) ? 0 : Math.min(Math.max(v, -limit), limit));
    return [clamp(px), clamp(py)];
  }
}

function drawStar(context: CanvasRenderingContext2D, x: number, y: number, radius: number): void {
  context.beginPath();
  for (let k = 0; k < 10; k++) {
    const r = k % 2 === 0 ? radius : radius * 0.45;
    const a = -Math.PI / 2 + (k * Math.PI) / 5;
    context.lineTo(x + r * Math.cos(a), y + r * Math.sin(a));
  }
  context.closePath();
  context.fillStyle = '#ffd700';
  context.fill();
  context.strokeStyle = '#000';
  context.lineWidth = 1;
  context.stroke();
}
