import {
  conditionFieldNames,
  recordOf,
  rowsOf,
  settableFieldNames,
  type ContactFields,
} from '../../../src/console/client/builder/key-value-rows';

const FIELDS: ContactFields = {
  builtIn: [
    { name: 'email', label: 'Email', type: 'string', settable: true },
    { name: 'tags', label: 'Tags', type: 'string[]', settable: false },
  ],
  custom: [{ name: 'plan' }],
};

describe('key/value rows of an object', () => {
  it('lists an object as rows in its order and anything else as none', () => {
    expect(rowsOf({ firstName: 'Ada', dnd: true })).toEqual([
      { key: 'firstName', value: 'Ada' },
      { key: 'dnd', value: true },
    ]);
    expect(rowsOf(['a'])).toEqual([]);
    expect(rowsOf('text')).toEqual([]);
    expect(rowsOf(undefined)).toEqual([]);
  });

  it('leaves rows without a key out and keeps the last value of a repeated key', () => {
    expect(
      recordOf([
        { key: ' customFields.plan ', value: 'gold' },
        { key: '  ', value: 'ignored' },
        { key: 'email', value: 'a@b.test' },
        { key: 'email', value: 'c@d.test' },
      ]),
    ).toEqual({ 'customFields.plan': 'gold', email: 'c@d.test' });
  });

  it('gives no object when no row has a key, so the field leaves the definition', () => {
    expect(recordOf([])).toBeUndefined();
    expect(recordOf([{ key: '', value: 'x' }])).toBeUndefined();
  });

  it('round-trips an object through its rows', () => {
    const set = { email: '{{trigger.data.email}}', 'customFields.score': 3, phone: null };
    expect(recordOf(rowsOf(set))).toEqual(set);
  });
});

describe('contact field suggestions', () => {
  it('offers the settable built-in fields then the custom ones for an update', () => {
    expect(settableFieldNames(FIELDS)).toEqual(['email', 'customFields.plan']);
  });

  it('offers every contact field as a run-context path for a condition', () => {
    expect(conditionFieldNames(FIELDS)).toEqual(['contact.email', 'contact.tags', 'contact.customFields.plan']);
  });

  it('offers nothing when the fields could not be loaded', () => {
    expect(settableFieldNames(null)).toEqual([]);
    expect(conditionFieldNames(null)).toEqual([]);
  });
});
