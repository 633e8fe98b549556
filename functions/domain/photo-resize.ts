// Pixel arithmetic for the copy of a photo that is shown: turned upright, flattened on white, shrunk to a bound.

/** Decoded pixels, four bytes (RGBA) per pixel, row by row. */
export interface Pixels {
  width: number;
  height: number;
  data: Uint8Array | Uint8ClampedArray;
}

/** Where stored pixel (x, y) of a w x h image lands once shown as EXIF orientation 1-8 says. */
function orient(orientation: number, x: number, y: number, w: number, h: number): [number, number] {
  switch (orientation) {
    case 2:
      return [w - 1 - x, y];
    case 3:
      return [w - 1 - x, h - 1 - y];
    case 4:
      return [x, h - 1 - y];
    case 5:
      return [y, x];
    case 6:
      return [h - 1 - y, x];
    case 7:
      return [h - 1 - y, w - 1 - x];
    case 8:
      return [y, w - 1 - x];
    default:
      return [x, y];
  }
}

/** The copy's size: the shown image scaled so its longest side is at most maxSide (never enlarged). */
export function boundedSize(
  width: number,
  height: number,
  maxSide: number,
): { width: number; height: number } {
  const scale = Math.min(1, maxSide / Math.max(width, height));
  return {
    width: Math.max(1, Math.round(width * scale)),
    height: Math.max(1, Math.round(height * scale)),
  };
}

/**
 * One pass over the source: each pixel is turned per its orientation, laid on white by its alpha (JPEG has no
 * transparency), and averaged into the target pixel it falls in (a box filter, which is what shrinking wants).
 */
export function uprightBoundedCopy(source: Pixels, orientation: number, maxSide: number): Pixels {
  const { width: w, height: h, data } = source;
  const turned = orientation >= 5 && orientation <= 8;
  const shownWidth = turned ? h : w;
  const shownHeight = turned ? w : h;
  const target = boundedSize(shownWidth, shownHeight, maxSide);
  const sums = new Float64Array(target.width * target.height * 3);
  const counts = new Uint32Array(target.width * target.height);
  const scaleX = target.width / shownWidth;
  const scaleY = target.height / shownHeight;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const at = (y * w + x) * 4;
      const alpha = (data[at + 3] ?? 255) / 255;
      const [sx, sy] = orient(orientation, x, y, w, h);
      const tx = Math.min(target.width - 1, Math.floor(sx * scaleX));
      const ty = Math.min(target.height - 1, Math.floor(sy * scaleY));
      const cell = ty * target.width + tx;
      for (let c = 0; c < 3; c++) {
        sums[cell * 3 + c] = (sums[cell * 3 + c] ?? 0) + (data[at + c] ?? 0) * alpha + 255 * (1 - alpha);
      }
      counts[cell] = (counts[cell] ?? 0) + 1;
    }
  }
  const out = new Uint8Array(target.width * target.height * 4);
  for (let cell = 0; cell < counts.length; cell++) {
    const n = counts[cell] || 1;
    for (let c = 0; c < 3; c++) out[cell * 4 + c] = Math.round((sums[cell * 3 + c] ?? 0) / n);
    out[cell * 4 + 3] = 255;
  }
  return { width: target.width, height: target.height, data: out };
}
