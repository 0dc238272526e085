// Unit tier: colocated *.spec.ts, no servers. `npm run test:unit`.
module.exports = {
  ...require('./jest.shared'),
  displayName: 'unit',
  roots: [
    '<rootDir>/apps',
    '<rootDir>/libs',
    '<rootDir>/emulators',
    '<rootDir>/scripts',
    '<rootDir>/bench',
    '<rootDir>/packages',
  ],
  testRegex: '\\.spec\\.ts$',
};
