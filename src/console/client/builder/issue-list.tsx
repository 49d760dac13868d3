import type { Draft } from './draft';
import { stepTitle } from './draft';
import type { PlacedIssue } from './validation';

/** Every problem of the definition, each a button that jumps to (focuses and selects) its card. */
export function IssueList(props: { draft: Draft; issues: readonly PlacedIssue[]; onJump(issue: PlacedIssue): void }) {
  const { draft, issues } = props;
  if (issues.length === 0)
    return (
      <p className="builder-ok" role="status">
        No problems found.
      </p>
    );
  const where = (issue: PlacedIssue): string => {
    if (issue.step === -1) return 'Trigger';
    if (issue.step === null) return 'Workflow';
    const step = draft.steps[issue.step];
    return step ? stepTitle(step) : `Step ${issue.step + 1}`;
  };
  return (
    <section className="builder-issues" aria-labelledby="issues-heading">
      <h2 id="issues-heading">
        {issues.length} problem{issues.length === 1 ? '' : 's'}
      </h2>
      <ul>
        {issues.map((issue, index) => (
          <li key={index}>
            <button type="button" className="link" onClick={() => props.onJump(issue)}>
              <strong>{where(issue)}</strong>: {issue.message}
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
