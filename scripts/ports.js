// Local TCP ports for the JupyterLab servers that `npm start` and the browser tests launch.
"use strict";
const net = require("node:net");

/** Resolves with true when `port` can be bound on 127.0.0.1. */
function portIsFree(port) {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once("error", () => resolve(false));
    server.listen(port, "127.0.0.1", () => server.close(() => resolve(true)));
  });
}

/** A port the OS says is free on 127.0.0.1 right now. */
function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** `preferred` when it is free, else any free port. */
async function choosePort(preferred) {
  return (await portIsFree(preferred)) ? preferred : freePort();
}

module.exports = { choosePort, freePort, portIsFree };
