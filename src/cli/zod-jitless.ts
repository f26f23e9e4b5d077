// zod compiles a fast parser (`new Function`) for each object schema on its first parse: a win when a schema
// parses many inputs, but a CLI process parses each of its few schemas (atmos.yaml, a store's options) about
// once, and compiling cost more than parsing. Jitless parses give the same results. zod reads the setting when
// a schema is built, so command-tree.ts imports this first, before any module that builds one.
import { config } from 'zod';

config({ jitless: true });
