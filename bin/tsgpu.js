#!/usr/bin/env node
// The `tsgpu` command: everything lives in the compiled CLI.
require("../build/kernel/cli/main.js").main(process.argv.slice(2));
