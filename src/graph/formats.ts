/** The formats `cdlc graph` writes; a module of its own so the CLI can list them without loading the graph. */
export const graphFormats = ["json", "dot", "mermaid", "html"] as const;
export type GraphFormat = (typeof graphFormats)[number];
