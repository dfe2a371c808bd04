/**
 * Charts in `text/html` as an `<img>` of their PNG. nbconvert (and so
 * GitHub's and nbviewer's notebook HTML) picks `text/html` over `image/png`
 * when both are in a bundle, and GitHub strips inline SVG styling, scripts and
 * styles: a data-URL image is what shows everywhere. Plain attributes only.
 */

const escapeAttribute = (text: string) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

/** `<img>` showing a base64 PNG, with alternative text and its natural size. */
export function pngImageHtml(pngBase64: string, alt: string, size?: { width: number; height: number }): string {
  const dimensions = size ? ` width="${Math.round(size.width)}" height="${Math.round(size.height)}"` : "";
  return `<img src="data:image/png;base64,${pngBase64}" alt="${escapeAttribute(alt)}"${dimensions}/>`;
}
