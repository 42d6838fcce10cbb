#!/usr/bin/env node
// Plain-JS entry so npm can link the `mnist-lab` command before the TypeScript build has run.
require("../dist/cli.js");
