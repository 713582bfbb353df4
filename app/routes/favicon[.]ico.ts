import { redirect } from "@remix-run/node";

/** Browsers that ask for /favicon.ico without reading the page's icon link get the SVG icon. */
export const loader = () => redirect("/favicon.svg", { status: 301 });
