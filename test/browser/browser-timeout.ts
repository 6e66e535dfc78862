// Whole journeys in a real browser on a 2-core CI machine, the first one starting Chromium cold: seconds
// each, not milliseconds.
jest.setTimeout(60_000);
