/** Datasets: MNIST / Fashion-MNIST (IDX), a text corpus and the GPT-2 tokenizer (docs/data.md). */
export { loadMnist, loadFashionMnist } from "./mnist.js";
export { datasetTensors, loadImageDataset, type ImageDataset, type ImageSplit, type LoadOptions, type SplitTensors } from "./image_dataset.js";
export { MNIST, FASHION_MNIST, type IdxFileSpec, type ImageDatasetSpec } from "./image_datasets.js";
export { parseIdx, encodeIdx, type IdxArray } from "./idx.js";
export { datasetCacheDir } from "./download.js";
export { ChecksumError, DatasetUnavailableError, IdxFormatError } from "./errors.js";
export { loadSotuText, gpt2Encode, gpt2Decode, GPT2_VOCABULARY_SIZE, END_OF_TEXT, END_OF_TEXT_ID, CorpusError } from "./text.js";
