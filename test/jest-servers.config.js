// Integration, e2e and browser tiers: real PostgreSQL started by the global setup on a free port.
// Run in band: the tiers share one database and truncate between files. In band, the runner's heap grows
// over the ~100 files: package.json's jest script lets node use 8 GB (the default 4 GB ran out at file 92).
const shared = require('../jest.shared');

module.exports = {
  ...shared,
  rootDir: '..',
  roots: ['<rootDir>/test'],
  testRegex: '\\.(int|e2e|browser)-spec\\.ts$',
  globalSetup: '<rootDir>/test/setup/global-setup.ts',
  globalTeardown: '<rootDir>/test/setup/global-teardown.ts',
  testTimeout: 60_000,
  maxWorkers: 1,
};
