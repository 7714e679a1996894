/** e2e specs per endpoint family, against the real MySQL/MariaDB and Redis (test/harness.ts). */
const unit = require('./jest.config');

module.exports = {
  ...unit,
  displayName: 'api-e2e',
  testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'],
  testTimeout: 60_000,
};
