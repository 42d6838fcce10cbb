/** Jupyter counts cursor positions in Unicode code points; JavaScript strings in UTF-16 units. */
export function codePointsToUtf16(text: string, codePoints: number): number {
  let units = 0;
  for (let i = 0; i < codePoints && units < text.length; i++) units += (text.codePointAt(units)! > 0xffff ? 2 : 1);
  return units;
}

export function utf16ToCodePoints(text: string, units: number): number {
  return Array.from(text.slice(0, units)).length;
}
