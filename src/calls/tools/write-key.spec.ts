import { ToolCallContext } from '../../vapi/vapi-tool.decorator';
import { repeatsAnEarlierRequest, writeKey } from './write-key';

const context = (toolCallId: string, callId: string | undefined = 'call-1'): ToolCallContext => ({
  toolCallId,
  callId,
});

describe('writeKey', () => {
  it('should give a retry with a new tool call id and the same arguments the same key', () => {
    const first = writeKey('case', context('call_a'), { issueType: 'billing', description: 'Charged twice' });
    const retry = writeKey('case', context('call_b'), {
      description: '  charged   TWICE ',
      issueType: 'Billing',
      subject: undefined,
    });

    expect(retry).toBe(first);
  });

  it('should tell different arguments, other calls and other tools apart', () => {
    const key = writeKey('case', context('call_a'), { description: 'Charged twice' });

    expect(writeKey('case', context('call_a'), { description: 'Charged three times' })).not.toBe(key);
    expect(writeKey('case', context('call_a', 'call-2'), { description: 'Charged twice' })).not.toBe(key);
    expect(writeKey('comment', context('call_a'), { description: 'Charged twice' })).not.toBe(key);
  });

  it('should fall back to the tool call id when the call has no id', () => {
    expect(writeKey('case', { toolCallId: 'call_a' }, { description: 'x' })).toBe('case:call_a');
  });
});

describe('repeatsAnEarlierRequest', () => {
  it('should be a repeat only when another tool call submitted the write first', () => {
    const submitted = (alreadySubmitted: boolean) => ({
      alreadySubmitted,
      payload: { requestedBy: 'call_a' },
    });

    expect(repeatsAnEarlierRequest(submitted(false), context('call_a'))).toBe(false);
    expect(repeatsAnEarlierRequest(submitted(true), context('call_a'))).toBe(false);
    expect(repeatsAnEarlierRequest(submitted(true), context('call_b'))).toBe(true);
  });
});
