/**
 * Jupyter counts cursor positions in Unicode code points (protocol 5.2+);
 * JavaScript strings index UTF-16 code units. These convert between the two.
 */

/** UTF-16 offset of the code-point position `codePoints` in `text`. */
export function codePointsToUtf16(text: string, codePoints: number): number {
  let offset = 0;
  for (let i = 0; i < codePoints && offset < text.length; i++) {
    const unit = text.charCodeAt(offset);
    offset += unit >= 0xd800 && unit <= 0xdbff && offset + 1 < text.length ? 2 : 1;
  }
  return offset;
}

/** Code-point position of the UTF-16 offset `offset` in `text`. */
export function utf16ToCodePoints(text: string, offset: number): number {
  let points = 0;
  for (let i = 0; i < offset && i < text.length; i++, points++) {
    const unit = text.charCodeAt(i);
    if (unit >= 0xd800 && unit <= 0xdbff && i + 1 < text.length) i++;
  }
  return points;
}
