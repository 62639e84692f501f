/** The fixed "now" of the test suite: 2026-11-24T12:00:00Z. */
export const NOW = Date.parse('2026-11-24T12:00:00Z');
export const NOW_ISO = new Date(NOW).toISOString();
export const HOUR = 3_600_000;
export const DAY = 86_400_000;
