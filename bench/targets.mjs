// The performance targets (issue 27; Node 24), in one place: each benchmark judges its figure
// here, and docs/performance.md's table lists the same rows. A ratio is the check's time over
// `node -e 0`'s on the same machine in the same run; "above floor" subtracts that floor.
export const targets = {
  typicalRatio: { text: '<= 1.6x', pass: (ratio) => ratio <= 1.6 },
  typicalBuiltins: { text: 'no crypto, stream, net, tty', pass: (loaded) => !loaded.some((name) => /crypto|stream|^net$|tty/.test(name)) },
  configuredRatio: { text: '<= 1.9x', pass: (ratio) => ratio <= 1.9 },
  realHomeRatio: { text: '<= 2.2x', pass: (ratio) => ratio <= 2.2 },
  tenThousandAboveFloorMs: { text: '<= 250 ms', pass: (ms) => ms <= 250 },
  liveRatio: { text: '<= 1.1x', pass: (ratio) => ratio <= 1.1 },
  daemonRssBytes: { text: '<= 80 MB', pass: (bytes) => bytes <= 80 * 2 ** 20 },
  daemonRssGrowthBytes: { text: 'flat (< 5 MB)', pass: (bytes) => bytes < 5 * 2 ** 20 },
  scrapeRps: { text: '>= 1000', pass: (rps) => rps >= 1000 },
  scrapeP99Ms: { text: '<= 20 ms', pass: (ms) => ms <= 20 },
  scrapeP99HangingChannelMs: { text: '<= 50 ms', pass: (ms) => ms <= 50 },
  gatewayOverFilesMs: { text: '<= 1000 ms', pass: (ms) => ms <= 1000 },
};

/** `record`'s target and verdict for `value` against the target named `name`. */
export const judged = (name, value) => [targets[name].text, targets[name].pass(value)];
