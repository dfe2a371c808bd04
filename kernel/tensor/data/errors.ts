/** Errors of the dataset loaders; each message names the file or URL and what was expected. */

/** An IDX file that is corrupt, truncated or not the expected array. */
export class IdxFormatError extends Error {
  override name = "IdxFormatError";
}

/** A file whose SHA-256 is not the known one (corrupt download, wrong file). */
export class ChecksumError extends Error {
  override name = "ChecksumError";
}

/** A dataset that could be found neither offline nor on any mirror. */
export class DatasetUnavailableError extends Error {
  override name = "DatasetUnavailableError";
}
