/**
 * System tests across apps (run by `nx run system:e2e`, after the API, weapp and H5 builds):
 * the H5 journey in Chromium against the real API, the weapp compile check and smoke test.
 */
module.exports = {
  displayName: 'system',
  testEnvironment: 'node',
  rootDir: __dirname,
  testMatch: ['<rootDir>/**/*.test.{js,ts}'],
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/bench/'],
  transform: { '^.+\\.ts$': ['@swc/jest', require('../apps/api/jest.swc')] },
  testTimeout: 120_000,
};
