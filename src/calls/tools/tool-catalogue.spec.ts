import { toolDefinitionOf, toolParameters } from '../../vapi/vapi-tool.decorator';
import { CALL_TOOLS } from '.';
import { TOOL_NAMES } from './tool-catalogue';

describe('the tool catalogue', () => {
  it('should name every tool that is wired, in order, so VERIFY_BEFORE is checked against the real list', () => {
    expect(CALL_TOOLS.map((tool) => toolDefinitionOf(tool).name)).toEqual([...TOOL_NAMES]);
  });

  it('should offer no argument for a number to send a code to', () => {
    const schemas = Object.fromEntries(
      CALL_TOOLS.map((tool) => [toolDefinitionOf(tool).name, toolParameters(toolDefinitionOf(tool))]),
    );

    expect(schemas.sendVerificationCode).toEqual({ type: 'object', properties: {}, required: [] });
    expect(schemas.verifyCaller).toMatchObject({
      properties: { code: { type: 'string' } },
      required: ['code'],
    });
  });
});
