import type { z } from 'zod';
import { formatPath } from './format-path';
import { ValidationError, type IssueDetail } from './errors';

export function toIssueDetails(error: z.ZodError, prefix: readonly PropertyKey[] = []): IssueDetail[] {
  return error.issues.map((issue) => ({ path: formatPath([...prefix, ...issue.path]), message: issue.message }));
}

/** Parses `input` or throws a ValidationError whose issues carry `steps[2].next`-style paths. */
export function parseOrThrow<S extends z.ZodType>(
  schema: S,
  input: unknown,
  prefix: readonly PropertyKey[] = [],
): z.infer<S> {
  const result = schema.safeParse(input);
  if (!result.success) throw new ValidationError(toIssueDetails(result.error, prefix));
  return result.data;
}
