// zod's tree-shakable API: the classic one is ≈ 440 KB of bundle that every run would compile
// (≈ 30 ms of a 80 ms check); this is ≈ 25 KB. Every module takes zod from here.
import { config } from 'zod/mini';
import en from 'zod/v4/locales/en.js';

// The English messages users see in config and file errors (the mini API ships no locale).
config(en());

export * from 'zod/mini';
