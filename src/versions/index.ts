/**
 * The versions store under `<project root>/.cdl/`: staged, applied and
 * rolled-back versions of the sources, and the archive of every attempted
 * variant. Append, then rename: nothing is ever half-written.
 */
export type {
  ApplyResult, ArchiveEntry, ArchiveVerdict, ListedVersion, StagedFile, StageRequest,
  VersionErrorCode, VersionFile, VersionKind, VersionManifest, VersionStatus,
} from "./types.js";
export { VersionError } from "./types.js";
export { stageVersion } from "./stage.js";
export { applyVersion } from "./apply.js";
export { planRollback, rollbackTo, type RollbackFile } from "./rollback.js";
export { listVersions, readVersion, readVersionText, headOf } from "./store.js";
export { versionDiff, type VersionDiff } from "./diff.js";
export { appendArchive, readArchive, type ArchiveContents } from "./archive.js";
