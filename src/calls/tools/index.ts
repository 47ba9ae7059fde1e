import { toolDefinitionOf, VapiToolDefinition } from '../../vapi/vapi-tool.decorator';
import { AddCaseCommentTool } from './add-case-comment.tool';
import { CreateSalesforceCaseTool } from './create-salesforce-case.tool';
import { LookupCaseTool } from './lookup-case.tool';
import { SearchKnowledgeTool } from './search-knowledge.tool';
import { SendVerificationCodeTool } from './send-verification-code.tool';
import { UpdateContactTool } from './update-contact.tool';
import { VerifyCallerTool } from './verify-caller.tool';

/** The public tool catalogue (docs/vapi.md, "Tools"), in the order of TOOL_NAMES (tool-catalogue.ts). */
export const CALL_TOOLS = [
  CreateSalesforceCaseTool,
  LookupCaseTool,
  AddCaseCommentTool,
  UpdateContactTool,
  SendVerificationCodeTool,
  VerifyCallerTool,
  SearchKnowledgeTool,
] as const;

/**
 * The catalogue as VAPI is told about it outside a running service (`npm run provision -- --assistant`): the
 * `@VapiTool` metadata of the tools the calls module registers, in the same order as the registry lists them;
 * searchKnowledge only when Knowledge is configured, as in the registry.
 */
export function callToolDefinitions(options: { knowledge?: boolean } = {}): VapiToolDefinition[] {
  return CALL_TOOLS.filter((tool) => options.knowledge === true || tool !== SearchKnowledgeTool).map((tool) =>
    toolDefinitionOf(tool),
  );
}
