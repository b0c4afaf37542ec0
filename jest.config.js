/**
 * Unit tests run without Docker or daemons; simulation tests run whole Raft clusters in one process on a
 * seeded network and disk; integration tests drive real daemons and a real dockerd.
 */
const transform = { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.jest.json' }] };
module.exports = {
  projects: [
    { displayName: 'unit', testMatch: ['<rootDir>/test/unit/**/*.test.ts', '<rootDir>/examples/**/*.test.ts'], transform, testEnvironment: 'node' },
    { displayName: 'sim', testMatch: ['<rootDir>/test/sim/**/*.test.ts'], transform, testEnvironment: 'node' },
    {
      displayName: 'integration',
      testMatch: ['<rootDir>/test/integration/**/*.test.ts'],
      transform,
      testEnvironment: 'node',
      setupFilesAfterEnv: ['<rootDir>/test/integration/setup.ts'],
    },
  ],
};
