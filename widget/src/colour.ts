/** Black or white, whichever reads better on the group's accent colour (#rrggbb). */
export function inkOn(color: string): string {
  const channel = (offset: number) => {
    const value = parseInt(color.slice(offset, offset + 2), 16) / 255;
    return value <= 0.04045 ? value / 12.92 : ((value + 0.055) / 1.055) ** 2.4;
  };
  const luminance = 0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5);
  // The crossing point where white and near-black text have equal contrast.
  return luminance > 0.179 ? '#16191d' : '#ffffff';
}
