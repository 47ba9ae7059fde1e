import { SalesforceConfig } from './salesforce.config';
import { SalesforceError, SalesforceErrorCode } from './salesforce.errors';
import { KnowledgeArticle, RequestPriority } from './salesforce.types';
import { SalesforceGateway } from './salesforce-gateway';
import { soqlString, soslTerm } from './soql';

type KnowledgeRow = {
  attributes?: { type: string };
  Id: string;
  Title?: string | null;
  Summary?: string | null;
} & Record<string, unknown>;

/** Words that carry no meaning for a search; a question's keywords are what is left. */
const STOP_WORDS = new Set(
  (
    'a an and are as at be but by can could do does for from had has have how i if in into is it its me my ' +
    'no not of on or our please should so that the their them then there these they this to was we what ' +
    'when where which who why will with would you your'
  ).split(' '),
);
/** Keywords sent to SOSL, at most. */
const MAX_KEYWORDS = 8;

/** The keywords of a spoken question, lower case, without stop words and duplicates. */
export function knowledgeKeywords(question: string): string[] {
  const words = question
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((word) => word.length > 1 && !STOP_WORDS.has(word));
  return [...new Set(words)].slice(0, MAX_KEYWORDS);
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

/** Rich-text area HTML as plain words: tags out, block ends as spaces, the common entities decoded. */
export function plainText(html: string): string {
  return (
    html
      .replace(/<(script|style)[^>]*>[\s\S]*?<\/\1>/gi, ' ')
      // Inline tags join their words (`<b>Forgot</b>.`); any other tag ends a block, a line or a cell.
      .replace(/<\/?(b|i|u|em|strong|span|a|sub|sup|font|code)\b[^>]*>/gi, '')
      .replace(/<[^>]*>/g, ' ')
      .replace(/&(#\d+|#x[0-9a-f]+|[a-z]+);/gi, (entity: string, name: string) => {
        if (name.startsWith('#x') || name.startsWith('#X'))
          return String.fromCodePoint(parseInt(name.slice(2), 16));
        if (name.startsWith('#')) return String.fromCodePoint(parseInt(name.slice(1), 10));
        return ENTITIES[name.toLowerCase()] ?? entity;
      })
      .replace(/\s+/g, ' ')
      .trim()
  );
}

/**
 * Published Salesforce Knowledge articles (Lightning Knowledge: `Knowledge__kav` versions). SOSL over all
 * fields, filtered on one `PublishStatus` ('Online') and one `Language`, as the Knowledge developer guide asks:
 * since API 47.0 a search without the PublishStatus filter also returns drafts and archived versions.
 */
export class KnowledgeSection {
  constructor(
    private readonly gateway: SalesforceGateway,
    private readonly config: SalesforceConfig,
  ) {}

  get configured(): boolean {
    return this.config.knowledge !== undefined;
  }

  async searchKnowledge(
    question: string,
    {
      limit,
      language: asked,
      priority = 'live',
    }: { limit: number; language: string; priority?: RequestPriority },
  ): Promise<KnowledgeArticle[]> {
    const knowledge = this.config.knowledge;
    if (!knowledge) {
      throw new SalesforceError(SalesforceErrorCode.MISCONFIGURED, 'Knowledge is not configured', false, {
        fix: 'set KNOWLEDGE_ANSWER_FIELD',
      });
    }
    const keywords = knowledgeKeywords(question);
    if (keywords.length === 0) return [];
    const { object, answerField } = knowledge;
    const language = knowledge.language ?? asked;
    const sosl =
      `FIND {${keywords.map(soslTerm).join(' OR ')}} IN ALL FIELDS RETURNING ` +
      `${object}(Id, Title, Summary, ${answerField} WHERE PublishStatus = 'Online' ` +
      `AND Language = ${soqlString(language)} LIMIT ${Math.max(1, Math.min(limit, 20))})`;
    const response = await this.gateway.request<{ searchRecords: KnowledgeRow[] }>({
      operation: 'searchKnowledge',
      method: 'GET',
      path: `/search?q=${encodeURIComponent(sosl)}`,
      priority,
      idempotent: true,
    });
    return response.body.searchRecords.map((row) => {
      const answer = row[answerField];
      return {
        id: row.Id,
        title: plainText(row.Title ?? ''),
        ...(row.Summary ? { summary: plainText(row.Summary) } : {}),
        ...(typeof answer === 'string' && answer.length > 0 ? { answer: plainText(answer) } : {}),
      };
    });
  }
}
