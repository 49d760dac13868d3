import type { BulkCounts } from '../../contacts/import/bulk-action-service';
import type { EnrollingWorkflow, TagEnrolmentPreview } from '../../triggers/tag-enrolment-preview';
import { formatCount, plural } from './job-progress';

const joinAnd = (items: readonly string[]): string =>
  items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;

/** `'Webinar follow-up' (active)`, `'A' (active) and 'B' (active)`. */
export function workflowList(workflows: readonly EnrollingWorkflow[]): string {
  return joinAnd(workflows.map((workflow) => `'${workflow.name}' (active)`));
}

const noReentry = (workflows: readonly EnrollingWorkflow[]) => workflows.filter((workflow) => !workflow.allowReentry);

/**
 * What starting an import will start, in the marketer's words: "Tagging 1,000 contacts with
 * 'webinar' will enrol them in 'Webinar follow-up' (active)."
 */
export function importPreviewSentences(preview: TagEnrolmentPreview, rows: number): string[] {
  const sentences: string[] = [];
  const contacts = plural(rows, 'contact');
  for (const { tag, workflows } of preview.byTag) {
    sentences.push(
      workflows.length > 0
        ? `Tagging ${contacts} with '${tag}' will enrol them in ${workflowList(workflows)}.`
        : `Tagging them with '${tag}' starts no workflow.`,
    );
  }
  if (preview.onCreate.length > 0)
    sentences.push(
      `Contacts new to this account also enter ${workflowList(preview.onCreate)}, which ${
        preview.onCreate.length === 1 ? 'starts' : 'start'
      } when a contact is created.`,
    );
  if (sentences.length === 0)
    sentences.push('Importing starts no workflow: no tag is added and none starts on new contacts.');
  if (preview.byTag.some((entry) => entry.workflows.length > 0))
    sentences.push('Contacts that already have a tag are not tagged again, so its workflows do not start for them.');
  const once = noReentry([...preview.byTag.flatMap((entry) => entry.workflows), ...preview.onCreate]);
  const onceNames = [...new Map(once.map((workflow) => [workflow.id, `'${workflow.name}'`])).values()];
  if (onceNames.length > 0)
    sentences.push(
      `${joinAnd(onceNames)} ${onceNames.length === 1 ? 'enrols' : 'enrol'} a contact only once: contacts enrolled before do not enter again.`,
    );
  return sentences;
}

/** The confirm page of a bulk action: how many, what changes, what it starts. */
export function bulkPreviewSentences(options: {
  kind: 'add_tag' | 'remove_tag' | 'enrol';
  counts: BulkCounts;
  tag?: string;
  workflows?: readonly EnrollingWorkflow[];
  workflow?: EnrollingWorkflow | null;
}): string[] {
  const { counts } = options;
  const total = plural(counts.total, 'contact');
  if (options.kind === 'remove_tag') {
    const having = counts.withTag ?? 0;
    return [
      `${total} match this search; ${formatCount(having)} of them have the tag '${options.tag}' and will lose it.`,
      'Removing a tag starts no workflow.',
    ];
  }
  if (options.kind === 'add_tag') {
    const having = counts.withTag ?? 0;
    const adding = counts.total - having;
    const workflows = options.workflows ?? [];
    const sentences = [`${total} match this search.`];
    if (adding === 0) sentences.push(`All of them already have the tag '${options.tag}': adding it changes nothing.`);
    else
      sentences.push(
        workflows.length > 0
          ? `Adding the tag '${options.tag}' to ${plural(adding, 'contact')} enrols them in ${workflowList(workflows)}.`
          : `Adding the tag '${options.tag}' to ${plural(adding, 'contact')} starts no workflow.`,
      );
    if (having > 0 && adding > 0) sentences.push(`${formatCount(having)} already have it and are left as they are.`);
    return sentences;
  }
  const workflow = options.workflow;
  const before = counts.enrolledBefore ?? 0;
  if (!workflow) return ['The workflow no longer exists.'];
  if (workflow.allowReentry)
    return [
      `${total} will be enrolled in '${workflow.name}'.`,
      ...(before > 0
        ? [`${formatCount(before)} of them were enrolled before; it allows re-entry, so they enter again.`]
        : []),
    ];
  return [
    `${plural(counts.total - before, 'contact')} will be enrolled in '${workflow.name}'; ${formatCount(before)} ${
      before === 1 ? 'is' : 'are'
    } already in it and not allowed to re-enter.`,
  ];
}
