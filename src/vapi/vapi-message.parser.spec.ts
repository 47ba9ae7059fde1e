import { TOOL_CALL_SHAPES, toolCallsMessage } from '../../test/support/vapi-payloads';
import { readCallContext, readLegacyFunctionCall, readToolCalls, toSingleLine } from './vapi-message.parser';

const call = { id: 'call-1', customerNumber: '+14155550100', phoneCallProviderId: 'CA42' };
const tools = [
  { id: 'tc-1', name: 'lookupCase', arguments: { caseNumber: '00001027' } },
  { id: 'tc-2', name: 'addCaseComment', arguments: { caseNumber: '00001027', comment: 'Still broken' } },
];

describe('readToolCalls', () => {
  it.each(TOOL_CALL_SHAPES)('should read each call exactly once from the %s shape', (shape) => {
    const { message } = toolCallsMessage(call, tools, shape);
    expect(readToolCalls(message)).toEqual([
      { id: 'tc-1', name: 'lookupCase', arguments: { caseNumber: '00001027' } },
      { id: 'tc-2', name: 'addCaseComment', arguments: { caseNumber: '00001027', comment: 'Still broken' } },
    ]);
  });

  it('should read name and arguments from the top level of an entry, and `parameters` as arguments', () => {
    const message = {
      toolCallList: [
        { id: 'a', name: 'lookupCase', arguments: '{"caseNumber":"1"}' },
        { id: 'b', name: 'lookupCase', parameters: { caseNumber: '2' } },
      ],
    };
    expect(readToolCalls(message).map((entry) => entry.arguments)).toEqual([
      { caseNumber: '1' },
      { caseNumber: '2' },
    ]);
  });

  it('should mark arguments that are not a JSON object instead of throwing', () => {
    const message = { toolCallList: [{ id: 'a', function: { name: 'lookupCase', arguments: '{not json' } }] };
    expect(readToolCalls(message)).toEqual([
      { id: 'a', name: 'lookupCase', arguments: {}, argumentsError: 'arguments are not a JSON object' },
    ]);
  });

  it('should treat empty arguments as an empty object', () => {
    const message = { toolCallList: [{ id: 'a', function: { name: 'lookupCase', arguments: '' } }] };
    expect(readToolCalls(message)[0].arguments).toEqual({});
  });

  it('should skip a repeated id within the list and entries without an id', () => {
    const entry = { id: 'a', function: { name: 'lookupCase', arguments: {} } };
    const message = { toolCallList: [entry, entry, { function: { name: 'lookupCase' } }] };
    expect(readToolCalls(message)).toHaveLength(1);
  });

  it('should return nothing for a message without any list', () => {
    expect(readToolCalls({ type: 'tool-calls' })).toEqual([]);
  });
});

describe('readLegacyFunctionCall', () => {
  it('should read name and parameters of the legacy function-call message', () => {
    const message = { functionCall: { name: 'lookupCase', parameters: { caseNumber: '00001027' } } };
    expect(readLegacyFunctionCall(message)).toEqual({
      id: '',
      name: 'lookupCase',
      arguments: { caseNumber: '00001027' },
    });
  });
});

describe('readCallContext', () => {
  it('should read the caller from call.customer, else from customer, and the Twilio CallSid', () => {
    expect(
      readCallContext({ call: { id: 'c', customer: { number: '+1' }, phoneCallProviderId: 'CA1' } }),
    ).toEqual({
      callId: 'c',
      customerNumber: '+1',
      phoneCallProviderId: 'CA1',
    });
    expect(
      readCallContext({ call: { id: 'c', transport: { callSid: 'CA2' } }, customer: { number: '+2' } }),
    ).toEqual({
      callId: 'c',
      customerNumber: '+2',
      phoneCallProviderId: 'CA2',
    });
  });
});

describe('toSingleLine', () => {
  it('should join lines and collapse whitespace', () => {
    expect(toSingleLine(' Case 1\nis open.\r\n\u2028Thanks ')).toBe('Case 1 is open. Thanks');
  });
});
