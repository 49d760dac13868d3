/** A template name: the file name before `.email.hbs` / `.sms.hbs`, and what a step's `template` says. */
export const TEMPLATE_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{0,99}$/;
