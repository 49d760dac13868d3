import { slugOf, type Draft } from './draft';

export type BuilderTab = 'canvas' | 'code' | 'versions';

const TABS: { tab: BuilderTab; label: string }[] = [
  { tab: 'canvas', label: 'Canvas' },
  { tab: 'code', label: 'Code' },
  { tab: 'versions', label: 'Versions' },
];

export const tabLabel = (tab: BuilderTab): string => TABS.find((item) => item.tab === tab)?.label ?? tab;

/** The builder's top bar: name and status, the view tabs, Test and Save. */
export function BuilderBar(props: {
  draft: Draft;
  /** Once saved, the id no longer follows the name. */
  saved: boolean;
  tab: BuilderTab;
  saving: boolean;
  onEdit(draft: Draft): void;
  onTab(tab: BuilderTab): void;
  onTest(): void;
  onSave(): void;
}) {
  const { draft } = props;
  return (
    <div className="builder-bar">
      <div className="builder-name">
        <label htmlFor="workflow-name">Workflow name</label>
        <input
          id="workflow-name"
          type="text"
          value={draft.name}
          onChange={(event) =>
            props.onEdit({
              ...draft,
              name: event.target.value,
              ...(props.saved ? {} : { id: slugOf(event.target.value) }),
            })
          }
        />
        <span className="muted">
          id <code>{draft.id}</code>
        </span>
      </div>
      <div className="builder-status">
        <label htmlFor="workflow-status">Status</label>
        <select
          id="workflow-status"
          value={draft.status ?? 'active'}
          onChange={(event) => props.onEdit({ ...draft, status: event.target.value as 'active' | 'draft' })}
        >
          <option value="draft">Draft: enrols no one</option>
          <option value="active">Active</option>
        </select>
      </div>
      <div className="builder-tabs" role="tablist" aria-label="View">
        {TABS.map(({ tab, label }) => (
          <button
            key={tab}
            type="button"
            role="tab"
            aria-selected={props.tab === tab}
            className={props.tab === tab ? '' : 'secondary'}
            onClick={() => props.onTab(tab)}
          >
            {label}
          </button>
        ))}
      </div>
      <button type="button" className="secondary" onClick={props.onTest}>
        Test
      </button>
      <button type="button" className="builder-save" onClick={props.onSave} disabled={props.saving}>
        Save
      </button>
    </div>
  );
}
