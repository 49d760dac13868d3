import type { StepExecutor, StepExecutors } from '../engine/action-contract';
import type { ActionDefinition } from './action';
import type { ActionDeps } from './action-deps';
import { addTagAction } from './add-tag';
import { endAction } from './end';
import { generateOneTimeLinkAction } from './generate-one-time-link';
import { ifElseAction } from './if-else';
import { removeTagAction } from './remove-tag';
import { sendEmailAction } from './send-email';
import { sendSmsAction } from './send-sms';
import { updateContactAction } from './update-contact';
import { waitAction } from './wait';
import { webhookAction } from './webhook';

/**
 * Every step type's action, by type. Being a record over the definition's StepType, it fails to
 * compile when a step type (src/definition/step-types.ts) has no action here. Also the output codecs
 * of the runs API (storedOutput / restoreOutputs need no services).
 */
export const actions = {
  send_email: sendEmailAction,
  send_sms: sendSmsAction,
  wait: waitAction,
  if_else: ifElseAction,
  add_tag: addTagAction,
  remove_tag: removeTagAction,
  update_contact: updateContactAction,
  webhook: webhookAction,
  generate_one_time_link: generateOneTimeLinkAction,
  end: endAction,
} satisfies { [T in keyof StepExecutors]: ActionDefinition<T> };

/** The engine's executors: every action with the worker's services bound in. */
export function createExecutors(deps: ActionDeps): StepExecutors {
  const bind = (action: ActionDefinition): StepExecutor => ({
    execute: (ctx) => action.execute({ ...ctx, deps }),
    storedOutput: action.storedOutput,
    restoreOutputs: action.restoreOutputs,
    changesContact: action.changesContact,
  });
  return Object.fromEntries(
    Object.entries(actions).map(([type, action]) => [type, bind(action as ActionDefinition)]),
  ) as StepExecutors;
}
