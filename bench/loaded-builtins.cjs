// Preloaded (`node -r`) into one check: at exit, writes to fd 3 the built-in modules the check
// loaded beyond what Node loads for `node -e 0` before any user code runs.
const before = new Set(process.moduleLoadList);
process.on('exit', () => {
  const added = process.moduleLoadList.filter((entry) => !before.has(entry) && entry.startsWith('NativeModule ')).map((entry) => entry.slice('NativeModule '.length));
  require('node:fs').writeSync(3, added.join(' '));
});
