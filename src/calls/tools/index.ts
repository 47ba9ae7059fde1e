import { AddCaseCommentTool } from './add-case-comment.tool';
import { CreateSalesforceCaseTool } from './create-salesforce-case.tool';
import { LookupCaseTool } from './lookup-case.tool';
import { UpdateContactTool } from './update-contact.tool';

/** The public tool catalogue (docs/vapi.md, "Tools"), in the order the assistant lists them. */
export const CALL_TOOLS = [
  CreateSalesforceCaseTool,
  LookupCaseTool,
  AddCaseCommentTool,
  UpdateContactTool,
] as const;
