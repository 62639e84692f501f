// zod's tree-shakable API: the classic one is many times the bundle every run would compile.
// Every module takes zod from here.
import { config } from 'zod/mini';
import en from 'zod/v4/locales/en.js';

// The English messages users see in config and file errors (the mini API ships no locale).
config(en());

export * from 'zod/mini';
