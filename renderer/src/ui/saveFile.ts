/**
 * Hands a file to the browser's download: a Blob behind an <a download>, which both hosts
 * support, so no file access is needed in the renderer.
 */
export function saveFile(name: string, content: string | Uint8Array<ArrayBuffer>, type: string): void {
  const url = URL.createObjectURL(new Blob([content], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  // The browser reads the Blob after the click returns; a minute is ample, then the memory goes.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
