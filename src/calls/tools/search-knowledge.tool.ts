import { ToolCallContext, VapiTool, VapiToolHandler } from '../../vapi/vapi-tool.decorator';
import { KnowledgeService } from '../knowledge/knowledge.service';
import { CallVoice } from '../voice/call-voice';
import { SearchKnowledgeArgs } from './tool-args.dto';

/** Registered only when Salesforce Knowledge is configured (KNOWLEDGE_ANSWER_FIELD). */
@VapiTool({
  name: 'searchKnowledge',
  description:
    'Answer a how-to question from our published help articles. Call it with the caller’s question; speak only what it returns.',
  args: SearchKnowledgeArgs,
})
export class SearchKnowledgeTool implements VapiToolHandler<SearchKnowledgeArgs> {
  constructor(
    private readonly knowledge: KnowledgeService,
    private readonly voice: CallVoice,
  ) {}

  available(): boolean {
    return this.knowledge.available;
  }

  async run(args: SearchKnowledgeArgs, _context: ToolCallContext): Promise<string> {
    const { knowledge } = this.voice.say;
    const found = await this.knowledge.answer(args.question);
    switch (found.kind) {
      case 'found': {
        const [best] = found.snippets;
        return knowledge.answer(best.title, best.snippet);
      }
      case 'none':
        return knowledge.noAnswer;
      case 'unavailable':
        return knowledge.unavailable;
    }
  }
}
