/** Unit specs beside the code: no database, no Redis. */
const swc = require('./jest.swc');

module.exports = {
  displayName: 'api',
  testEnvironment: 'node',
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/**/__tests__/**/*.spec.ts', '<rootDir>/src/**/*.spec.ts'],
  transform: { '^.+\\.ts$': ['@swc/jest', swc] },
  moduleNameMapper: {
    '^@qihu/contracts$': '<rootDir>/../../libs/contracts/src/index.ts',
    '^@qihu/domain$': '<rootDir>/../../libs/domain/src/index.ts',
  },
};
