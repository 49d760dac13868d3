import { InitialSchema1764000000000 } from './1764000000000-initial-schema';

/** Every migration, in order. New ones are appended here and committed with their file. */
export const migrations = [InitialSchema1764000000000];
