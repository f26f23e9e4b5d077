// In-place manifest edits: minimal text splices located through the `yaml` Document's node ranges, a unified
// diff for display, and a save that refuses when the file changed on disk since it was read.
export {
  deleteIn,
  documentFor,
  findKeyAtLine,
  findTaggedScalar,
  replaceTaggedScalar,
  setIn,
  type EditValue,
  type YamlPath,
} from './yaml-edit';
export {
  ABSENT_FILE_HASH,
  ManifestChangedError,
  contentHash,
  readManifest,
  saveManifest,
  unifiedDiff,
  type ManifestText,
} from './manifest-file';
