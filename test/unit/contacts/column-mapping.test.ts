import { defaultFieldFor, resolveColumns } from '../../../src/contacts/import/column-mapping';
import { detectDelimiter } from '../../../src/contacts/import/csv-reader';
import { csvLine } from '../../../src/contacts/import/error-report';
import { parseTagList } from '../../../src/contacts/import/import-schema';
import { normalisePhone, toImportedContact } from '../../../src/contacts/import/import-row';
import { ValidationError } from '../../../src/lib/errors';

const issuesOf = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    if (error instanceof ValidationError) return error.issues;
    throw error;
  }
  throw new Error('expected a ValidationError');
};

describe('which field a CSV header maps to by itself', () => {
  it.each([
    ['email', 'email'],
    ['E-mail', 'email'],
    ['Email Address', 'email'],
    ['first_name', 'firstName'],
    ['firstName', 'firstName'],
    ['First Name', 'firstName'],
    ['last_name', 'lastName'],
    ['Surname', 'lastName'],
    ['phone', 'phone'],
    ['Mobile Phone', 'phone'],
    ['timezone', 'timezone'],
    ['Time Zone', 'timezone'],
    ['Do not disturb', 'dnd'],
    ['customFields.company', 'customFields.company'],
  ])('maps "%s" to %s', (header, field) => {
    expect(defaultFieldFor(header)).toBe(field);
  });

  it('leaves other headers out', () => {
    expect(defaultFieldFor('Company')).toBeNull();
    expect(defaultFieldFor('Notes')).toBeNull();
    expect(defaultFieldFor('customFields.')).toBeNull();
  });
});

describe('resolving the columns of a file with a mapping', () => {
  it('uses the headers where the mapping says nothing, and the mapping where it does', () => {
    expect(
      resolveColumns(['E-mail', 'first_name', 'Company', 'Notes'], {
        Company: 'customFields.company',
        first_name: null,
      }),
    ).toEqual(['email', null, 'customFields.company', null]);
  });

  it('gives a field the mapping chose to its column, leaving out a header that would fill it too', () => {
    expect(resolveColumns(['email', 'Work email'], { 'Work email': 'email' })).toEqual([null, 'email']);
  });

  it('keeps the first of two headers that map to the same field', () => {
    expect(resolveColumns(['email', 'E-mail'])).toEqual(['email', null]);
  });

  it('names the column of a field that does not exist, at mapping.<column>', () => {
    expect(issuesOf(() => resolveColumns(['email', 'Company'], { Company: 'company' }))).toEqual([
      { path: 'mapping.Company', message: expect.stringContaining('not a contact field') },
    ]);
  });

  it('names a mapped column the file lacks', () => {
    expect(issuesOf(() => resolveColumns(['email'], { Nope: 'firstName' }))).toEqual([
      { path: 'mapping.Nope', message: 'the file has no column of this name' },
    ]);
  });

  it('refuses two columns mapped to the same field', () => {
    expect(issuesOf(() => resolveColumns(['a', 'b'], { a: 'email', b: 'email' }))).toEqual([
      { path: 'mapping.b', message: 'email is already filled from the column "a"' },
    ]);
  });

  it('refuses a file where no column gives the email', () => {
    expect(issuesOf(() => resolveColumns(['name', 'phone']))).toEqual([
      { path: 'mapping', message: expect.stringContaining('no column gives the email') },
    ]);
  });
});

describe('reading one row as a contact', () => {
  const columns = resolveColumns(['email', 'first_name', 'phone', 'timezone', 'dnd', 'customFields.plan']);

  it('trims cells and leaves empty ones out, so they change nothing', () => {
    expect(toImportedContact([' Ann@Example.com ', '', '', '', '', 'gold'], columns)).toEqual({
      ok: true,
      contact: {
        email: 'Ann@Example.com',
        emailKey: 'ann@example.com',
        phone: null,
        firstName: null,
        lastName: null,
        timezone: null,
        dnd: false,
        customFields: { plan: 'gold' },
      },
    });
  });

  it('reads spreadsheet phone numbers and yes/no answers', () => {
    const outcome = toImportedContact(
      ['a@example.com', 'Ann', '+1 (415) 555-0123', 'europe/paris', 'Yes', ''],
      columns,
    );
    expect(outcome).toMatchObject({
      ok: true,
      contact: { firstName: 'Ann', phone: '+14155550123', timezone: 'Europe/Paris', dnd: true },
    });
    expect(normalisePhone('0044 20 7946 0958')).toBe('+442079460958');
  });

  it('fails a row without an email', () => {
    expect(toImportedContact(['', 'Ann', '', '', '', ''], columns)).toEqual({ ok: false, reason: 'no email' });
  });

  it('fails a row with a bad value, naming every field at fault', () => {
    expect(toImportedContact(['not-an-email', '', '555-0123', 'Mars/Base', 'perhaps', ''], columns)).toEqual({
      ok: false,
      reason:
        'email: must be a valid email address; phone: must be an E.164 phone number like +14155550123; ' +
        'timezone: not a valid IANA time zone; dnd: must be yes or no',
    });
  });
});

describe('the rest of a CSV import’s small parts', () => {
  it('guesses the delimiter from the header, outside quotes', () => {
    expect(detectDelimiter('email,first_name\nann@example.com,Ann')).toBe(',');
    expect(detectDelimiter('email;first_name;"a,b,c"\r\n')).toBe(';');
    expect(detectDelimiter('email\tname')).toBe('\t');
    expect(detectDelimiter('email')).toBe(',');
  });

  it('reads comma-separated tags like the API, and refuses a bad one at its index', () => {
    expect(parseTagList(' Webinar, vip ,,webinar')).toEqual(['webinar', 'vip']);
    expect(issuesOf(() => parseTagList(`ok, ${'x'.repeat(101)}`))).toEqual([
      { path: 'tags[1]', message: expect.any(String) },
    ]);
  });

  it('quotes the error report’s fields only when they need it', () => {
    expect(csvLine(['3', 'plain', 'a, b', 'say "hi"', 'two\nlines'])).toBe(
      '3,plain,"a, b","say ""hi""","two\nlines"\r\n',
    );
  });
});
