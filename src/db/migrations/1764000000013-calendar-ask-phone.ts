import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A calendar may ask a visitor who books without a known contact (the scheduling page, a one-time
 * link without a contact) for a phone number as well as name and email. Off for existing calendars.
 */
export class CalendarAskPhone1764000000013 implements MigrationInterface {
  name = 'CalendarAskPhone1764000000013';

  async up(q: QueryRunner): Promise<void> {
    // A constant default: no table rewrite, the column is added in place however many calendars there are.
    await q.query(`ALTER TABLE calendars ADD COLUMN ask_phone boolean NOT NULL DEFAULT false`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE calendars DROP COLUMN ask_phone`);
  }
}
