import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The emails a booking sends by itself (a confirmation to the contact, a notice to the calendar's
 * owner, and the same on reschedule and cancel): recorded in `messages` like a step's, but keyed by
 * (appointment, kind) instead of (run, step), and switchable per calendar.
 */
export class AppointmentNotifications1764000000008 implements MigrationInterface {
  name = 'AppointmentNotifications1764000000008';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE messages ALTER COLUMN run_id DROP NOT NULL, ALTER COLUMN step_id DROP NOT NULL;
      -- kind: 'confirmation', 'owner_notice', 'cancelled_confirmation', 'cancelled_owner_notice', and
      -- 'rescheduled_confirmation:<event id>' / 'rescheduled_owner_notice:<event id>' (an appointment
      -- can be moved many times; each move is an event of its own and gets its own pair of emails).
      ALTER TABLE messages
        ADD COLUMN appointment_id uuid REFERENCES appointments(id) ON DELETE CASCADE,
        ADD COLUMN kind text;
      -- Exactly one idempotency key: a step's (run, step), or an appointment notification's (appointment, kind).
      ALTER TABLE messages ADD CONSTRAINT messages_one_key CHECK (
        (run_id IS NOT NULL AND step_id IS NOT NULL AND appointment_id IS NULL AND kind IS NULL)
        OR (run_id IS NULL AND step_id IS NULL AND appointment_id IS NOT NULL AND kind IS NOT NULL)
      );
      -- The guard of "sent once": concurrent or repeated notify jobs insert ON CONFLICT DO NOTHING here.
      CREATE UNIQUE INDEX messages_appointment_kind ON messages (appointment_id, kind) WHERE appointment_id IS NOT NULL;

      ALTER TABLE calendars
        ADD COLUMN notifications jsonb NOT NULL DEFAULT '{"confirmation": true, "ownerNotice": true}';
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE calendars DROP COLUMN notifications;
      DELETE FROM messages WHERE appointment_id IS NOT NULL;
      DROP INDEX messages_appointment_kind;
      ALTER TABLE messages DROP CONSTRAINT messages_one_key;
      ALTER TABLE messages DROP COLUMN kind, DROP COLUMN appointment_id;
      ALTER TABLE messages ALTER COLUMN run_id SET NOT NULL, ALTER COLUMN step_id SET NOT NULL;
    `);
  }
}
