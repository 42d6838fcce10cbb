export * from "./connection.js";
export * from "./signer.js";
export * from "./message.js";
export * from "./send-queue.js";
