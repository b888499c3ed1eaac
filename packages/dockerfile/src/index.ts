export * from "./types.js";
export { buildModel, parseJsonArray, originLine, DEFAULT_PATH, DEFAULT_SHELL, type ModelOptions } from "./model.js";
export { parseDockerfile, splitFlags, type Instruction, type Heredoc, type ParsedDockerfile } from "./parse.js";
export { builtinCatalog, lookupCatalog, parseImageRef, configFromInspect, type Catalog, type CatalogImage, type CatalogVariant, type ImageRef } from "./catalog.js";
export { normalizeSignal, signalName, SIGNAL_NUMBERS } from "./signals.js";
export { expandWord, splitWordsKeepQuotes } from "./words.js";
export { memoryFs } from "./memory-fs.js";
export { cleanAbs, joinAbs, basename } from "./paths.js";
export { wildcard, type Wildcard, type WildcardOptions } from "./wildcard.js";
