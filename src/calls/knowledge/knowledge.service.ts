import { Inject, Injectable, Logger } from '@nestjs/common';
import { withinDeadline } from '../../common/deadline';
import { SalesforceClient } from '../../salesforce/salesforce.client';
import { KnowledgeArticle } from '../../salesforce/salesforce.types';
import { callsConfig, CallsConfig } from '../calls.config';
import { LOCALES } from '../voice/locales';
import { speakableSnippet } from './speakable-snippet';

/** One answer from a published article: what may be spoken, and how well it matches the question (0–1). */
export interface KnowledgeSnippet {
  articleId: string;
  title: string;
  snippet: string;
  similarity: number;
}

export type KnowledgeAnswer =
  | { kind: 'found'; snippets: KnowledgeSnippet[] }
  | { kind: 'none' }
  /** Off, over the time budget, or Salesforce failed: the caller is told, nothing is cached. */
  | { kind: 'unavailable' };

/** Articles fetched per question; the best few are kept. */
const ARTICLES_PER_SEARCH = 5;
const SNIPPETS_KEPT = 3;
const CACHE_CAPACITY = 500;

const wordsOf = (text: string): string[] =>
  text
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((word) => word.length > 2);

/** Share of the question's words found in the article: a rough, explainable score for VAPI's `similarity`. */
function similarityOf(question: string, article: KnowledgeArticle): number {
  const asked = [...new Set(wordsOf(question))];
  if (asked.length === 0) return 0;
  const text = new Set(wordsOf(`${article.title} ${article.summary ?? ''} ${article.answer ?? ''}`));
  return Math.round((asked.filter((word) => text.has(word)).length / asked.length) * 100) / 100;
}

/**
 * Answers how-to questions from published Salesforce Knowledge articles within KNOWLEDGE_TIMEOUT_MS, with a
 * small TTL cache (the same question is often asked again in the same hour, and articles change rarely).
 */
@Injectable()
export class KnowledgeService {
  private readonly logger = new Logger(KnowledgeService.name);
  private readonly cache = new Map<string, { expiresAt: number; answer: KnowledgeAnswer }>();

  constructor(
    private readonly salesforce: SalesforceClient,
    @Inject(callsConfig.KEY) private readonly config: CallsConfig,
  ) {}

  get available(): boolean {
    return this.salesforce.knowledgeConfigured();
  }

  async answer(question: string): Promise<KnowledgeAnswer> {
    if (!this.available) return { kind: 'unavailable' };
    const key = wordsOf(question).join(' ');
    const now = Date.now();
    const cached = this.cache.get(key);
    if (cached && cached.expiresAt > now) return cached.answer;
    const answer = await this.search(question);
    if (answer.kind !== 'unavailable') this.remember(key, answer, now);
    return answer;
  }

  private async search(question: string): Promise<KnowledgeAnswer> {
    try {
      const search = this.salesforce.searchKnowledge(question, {
        limit: ARTICLES_PER_SEARCH,
        language: LOCALES[this.config.language].knowledgeLanguage,
        priority: 'live',
      });
      const found = await withinDeadline(search, this.config.knowledgeTimeoutMs, () => 'timeout' as const);
      if (found === 'timeout') {
        this.logger.warn({ event: 'knowledge_over_budget' }, 'knowledge search ran out of time');
        return { kind: 'unavailable' };
      }
      const snippets = found
        .map((article) => ({
          articleId: article.id,
          title: article.title,
          snippet: speakableSnippet(article.answer ?? article.summary ?? article.title),
          similarity: similarityOf(question, article),
        }))
        .filter((snippet) => snippet.snippet.length > 0)
        .sort((a, b) => b.similarity - a.similarity)
        .slice(0, SNIPPETS_KEPT);
      return snippets.length > 0 ? { kind: 'found', snippets } : { kind: 'none' };
    } catch (error) {
      this.logger.warn(
        { event: 'knowledge_search_failed', code: (error as { code?: string }).code },
        'knowledge search failed',
      );
      return { kind: 'unavailable' };
    }
  }

  private remember(key: string, answer: KnowledgeAnswer, now: number): void {
    this.cache.delete(key);
    this.cache.set(key, { expiresAt: now + this.config.knowledgeCacheSeconds * 1000, answer });
    if (this.cache.size > CACHE_CAPACITY) {
      const oldest = this.cache.keys().next().value;
      if (oldest !== undefined) this.cache.delete(oldest);
    }
  }
}
