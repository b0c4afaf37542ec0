// Integration tests start daemons and containers: give each test minutes, not jest's default 5 s.
jest.setTimeout(180_000);
