/** The site's icon: the brand mark (บ on the header's blue), linked from every page by root.tsx. */
// Drawn with strokes, not a Thai glyph: the icon looks the same with or without Thai fonts.
const ICON = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64"><rect width="64" height="64" rx="14" fill="#1d3f8f"/><g fill="none" stroke="#fff" stroke-width="6" stroke-linecap="round" stroke-linejoin="round"><circle cx="19" cy="19" r="4"/><path d="M19 23v20a4 4 0 0 0 4 4h18a4 4 0 0 0 4-4V15"/></g></svg>`;

export const loader = () =>
  new Response(ICON, { headers: { "Content-Type": "image/svg+xml", "Cache-Control": "public, max-age=86400" } });
