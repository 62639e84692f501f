import { defaultWarnMs, type Policy } from '../../src/evaluate/policy.js';

/** The default policy with no config: what most unit tests judge by. */
export const policy: Policy = { mode: 'authwatch', warnMs: defaultWarnMs, strictRefreshable: false, strictProfiles: false, providerWarnMs: {}, profiles: {} };
