/**
 * Rows parsed once per process and reused while the row has not changed. The caller's statement reads
 * the row's version (e.g. `<xmin>/<updated_at>`, which every update of the row changes) with its own
 * rows; a different version, or none (the row is gone), reads the row again. At most `max` entries,
 * the least recently stored going first. The values are shared: callers must not change them.
 */
export interface VersionedCache<C, T> {
  get(client: C, id: string, version: string | null): Promise<T>;
}

export function versionedCache<C, T>(max: number, load: (client: C, id: string) => Promise<T>): VersionedCache<C, T> {
  const cached = new Map<string, { version: string; value: T }>();
  return {
    async get(client, id, version) {
      const hit = cached.get(id);
      if (version !== null && hit?.version === version) return hit.value;
      const value = await load(client, id);
      if (version === null) return value;
      // Read in a later statement than the version: a row updated in between is newer than its key,
      // and that key is never read again, so the next caller reads it once more.
      cached.delete(id);
      cached.set(id, { version, value });
      if (cached.size > max) cached.delete(cached.keys().next().value!);
      return value;
    },
  };
}
