import { defaultNext, findStep, parseDefinition } from '../../../src/definition/parse-definition';
import { validDefinition } from './definitions';
import { fakeLookup } from './fake-actions';

describe('moving between steps', () => {
  const definition = parseDefinition(validDefinition(), { stepTypes: fakeLookup });

  it('goes to the following step when a step names no next', () => {
    expect(defaultNext(definition, 0)).toBe('pause');
  });

  it('goes to the named next step when there is one', () => {
    expect(defaultNext(definition, 2)).toBe('done');
  });

  it('ends after the last step', () => {
    expect(defaultNext(definition, 5)).toBeNull();
  });

  it('finds a step by id, and nothing for an unknown id', () => {
    expect(findStep(definition, 'check')?.type).toBe('if_else');
    expect(findStep(definition, 'nope')).toBeUndefined();
  });
});
