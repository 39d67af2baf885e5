/**
 * A prepared statement built on its first use, not when its service is created: services are also
 * created where no database exists (scripts/openapi.ts describes the API from them). `build` runs
 * once; PostgreSQL then parses the statement once per connection.
 */
export function preparedOnFirstUse<T>(build: () => T): () => T {
  let built: T | undefined;
  return () => {
    built ??= build();
    return built;
  };
}
