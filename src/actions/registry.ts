import type { ActionDefinition } from './action';
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

/** Every action type, registered in one place. */
const actions: ActionDefinition[] = [
  waitAction,
  ifElseAction,
  addTagAction,
  removeTagAction,
  updateContactAction,
  webhookAction,
  sendEmailAction,
  sendSmsAction,
  generateOneTimeLinkAction,
  endAction,
];

const byType = new Map(actions.map((action) => [action.type, action]));

export function getAction(type: string): ActionDefinition | undefined {
  return byType.get(type);
}

export const ACTION_TYPES: readonly string[] = actions.map((action) => action.type);
