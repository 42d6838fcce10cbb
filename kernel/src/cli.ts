#!/usr/bin/env node
console.log("mnist-lab");
