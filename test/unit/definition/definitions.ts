/** A valid definition to start each case from; callers change the part under test. */
export function validDefinition(): Record<string, unknown> & { steps: Record<string, unknown>[] } {
  return {
    id: 'nurture',
    name: 'Nurture',
    trigger: { type: 'contact.tag_added', tag: 'Lead' },
    steps: [
      { id: 'tag', type: 'add_tag', tag: 'nurturing' },
      { id: 'pause', type: 'wait', duration: '1d', event: 'appointment.booked', onEvent: 'booked', onTimeout: 'check' },
      { id: 'booked', type: 'add_tag', tag: 'booked', next: 'done' },
      {
        id: 'check',
        type: 'if_else',
        conditions: [{ field: 'contact.tags', op: 'contains', value: 'vip' }],
        then: 'vip',
        else: 'done',
      },
      {
        id: 'vip',
        type: 'webhook',
        url: 'https://example.com/{{contact.id}}',
        body: { name: '{{contact.firstName}}' },
      },
      { id: 'done', type: 'end' },
    ],
  };
}
