import { InitialSchema1764000000000 } from './1764000000000-initial-schema';
import { Messages1764000000001 } from './1764000000001-messages';
import { Booking1764000000002 } from './1764000000002-booking';
import { ConsoleSessions1764000000003 } from './1764000000003-console-sessions';
import { StepClaimOwner1764000000004 } from './1764000000004-step-claim-owner';
import { HotPathIndexes1764000000005 } from './1764000000005-hot-path-indexes';
import { ApiKeysAndSecrets1764000000006 } from './1764000000006-api-keys-and-secrets';
import { Builder1764000000007 } from './1764000000007-builder';
import { AppointmentNotifications1764000000008 } from './1764000000008-appointment-notifications';
import { AccountSettings1764000000009 } from './1764000000009-account-settings';
import { ContactImports1764000000010 } from './1764000000010-contact-imports';
import { ContactTimelineIndexes1764000000011 } from './1764000000011-contact-timeline-indexes';
import { SharedLinkIndex1764000000012 } from './1764000000012-shared-link-index';
import { CalendarAskPhone1764000000013 } from './1764000000013-calendar-ask-phone';
import { RetentionIndexes1764000000014 } from './1764000000014-retention-indexes';
import { RunLane1764000000015 } from './1764000000015-run-lane';
import { HotRunMoves1764000000016 } from './1764000000016-hot-run-moves';
import { RunEnrolJob1764000000017 } from './1764000000017-run-enrol-job';

/** Every migration, in order. New ones are appended here and committed with their file. */
export const migrations = [
  InitialSchema1764000000000,
  Messages1764000000001,
  Booking1764000000002,
  ConsoleSessions1764000000003,
  StepClaimOwner1764000000004,
  HotPathIndexes1764000000005,
  ApiKeysAndSecrets1764000000006,
  Builder1764000000007,
  AppointmentNotifications1764000000008,
  AccountSettings1764000000009,
  ContactImports1764000000010,
  ContactTimelineIndexes1764000000011,
  SharedLinkIndex1764000000012,
  CalendarAskPhone1764000000013,
  RetentionIndexes1764000000014,
  RunLane1764000000015,
  HotRunMoves1764000000016,
  RunEnrolJob1764000000017,
];
