// Helper of test_gpt_reference.py: loads or creates a GPT with tsgpu and prints
// JSON for Python to compare with transformers.
//   node gpt_reference.js load FOLDER IDS_JSON NEW_TOKENS -> {logits, greedy}
//   node gpt_reference.js create FOLDER CONFIG_JSON IDS_JSON -> {logits} (and saves to FOLDER)
"use strict";
const path = require("node:path");
const root = path.resolve(__dirname, "..", "..");
const tf = require(require.resolve("@tensorflow/tfjs", { paths: [root] }));
const { gpt } = require(path.join(root, "build", "kernel", "index.js"));

async function main() {
  await tf.setBackend("cpu");
  const [mode, folder, a, b] = process.argv.slice(2);
  let model;
  let ids;
  if (mode === "load") {
    model = await gpt.load(folder);
    ids = JSON.parse(a);
  } else {
    model = gpt.create(JSON.parse(a));
    ids = JSON.parse(b);
    await model.save(folder);
  }
  const logits = model.logits(ids);
  const out = { logits: await logits.array() };
  logits.dispose();
  if (mode === "load") out.greedy = await model.generate(ids[0], { maxNewTokens: Number(b), temperature: 0 });
  model.dispose();
  process.stdout.write(JSON.stringify(out));
}
main().catch((error) => {
  console.error(error);
  process.exit(1);
});
