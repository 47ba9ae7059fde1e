/** The names of the public tool catalogue (docs/vapi.md, "Tools"), in the order the assistant lists them. */
export const TOOL_NAMES = [
  'createSalesforceCase',
  'lookupCase',
  'addCaseComment',
  'updateContact',
  'sendVerificationCode',
  'verifyCaller',
  'searchKnowledge',
] as const;
export type ToolName = (typeof TOOL_NAMES)[number];

/**
 * The tools VERIFY_BEFORE may name: all but the two that do the verifying, and searchKnowledge, which reads
 * only published help articles.
 */
export const GUARDABLE_TOOLS = TOOL_NAMES.filter(
  (name) => name !== 'sendVerificationCode' && name !== 'verifyCaller' && name !== 'searchKnowledge',
);
