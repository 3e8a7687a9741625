/** The formats of measurement reports; a module of its own so the CLI can list them without loading the renderers. */
export const reportFormats = ["pretty", "json", "junit", "sarif", "markdown", "github", "html"] as const;
export type ReportFormat = (typeof reportFormats)[number];
