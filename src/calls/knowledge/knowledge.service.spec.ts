import { FakeSalesforceClient } from '../../../test/support/fake-salesforce.client';
import { SalesforceError, SalesforceErrorCode } from '../../salesforce/salesforce.errors';
import { KnowledgeArticle } from '../../salesforce/salesforce.types';
import type { CallsConfig } from '../calls.config';
import { KnowledgeService } from './knowledge.service';

/** The Salesforce fake with a Knowledge base of its own: counts searches, answers from a fixed list. */
class KnowledgeSalesforce extends FakeSalesforceClient {
  searches = 0;
  failNext = false;
  constructor(private readonly articles: KnowledgeArticle[]) {
    super();
  }
  override knowledgeConfigured(): boolean {
    return true;
  }
  override searchKnowledge(): Promise<KnowledgeArticle[]> {
    this.searches += 1;
    if (this.failNext) {
      this.failNext = false;
      return Promise.reject(new SalesforceError(SalesforceErrorCode.UNAVAILABLE, 'down', true));
    }
    return Promise.resolve(this.articles);
  }
}

const ROUTER: KnowledgeArticle = {
  id: 'ka0000000000001AAA',
  title: 'Restart your router',
  answer: 'Unplug the router, wait thirty seconds and plug it back in.',
};
const BILLING: KnowledgeArticle = {
  id: 'ka0000000000002AAA',
  title: 'Read your invoice',
  summary: 'Invoices.',
};

const service = (salesforce: FakeSalesforceClient, cacheSeconds = 300) =>
  new KnowledgeService(salesforce, {
    knowledgeTimeoutMs: 1000,
    knowledgeCacheSeconds: cacheSeconds,
    language: 'en',
  } as CallsConfig);

describe('KnowledgeService', () => {
  it('should rank the article that shares most of the question’s words first', async () => {
    const answer = await service(new KnowledgeSalesforce([BILLING, ROUTER])).answer(
      'How do I restart my router?',
    );

    expect(answer).toMatchObject({
      kind: 'found',
      snippets: [{ articleId: ROUTER.id }, { articleId: BILLING.id }],
    });
  });

  it('should answer the same question again from its cache, however it is worded', async () => {
    const salesforce = new KnowledgeSalesforce([ROUTER]);
    const knowledge = service(salesforce);

    await knowledge.answer('How do I restart my router?');
    await knowledge.answer('how do i RESTART my router');

    expect(salesforce.searches).toBe(1);
  });

  it('should not cache a failure: the next caller gets a fresh search', async () => {
    const salesforce = new KnowledgeSalesforce([ROUTER]);
    salesforce.failNext = true;
    const knowledge = service(salesforce);

    expect(await knowledge.answer('restart router')).toEqual({ kind: 'unavailable' });
    expect(await knowledge.answer('restart router')).toMatchObject({ kind: 'found' });
    expect(salesforce.searches).toBe(2);
  });

  it('should search every time with the cache off', async () => {
    const salesforce = new KnowledgeSalesforce([ROUTER]);
    const knowledge = service(salesforce, 0);

    await knowledge.answer('restart router');
    await knowledge.answer('restart router');

    expect(salesforce.searches).toBe(2);
  });

  it('should be unavailable, without asking Salesforce, when Knowledge is not configured', async () => {
    const salesforce = new FakeSalesforceClient();

    expect(await service(salesforce).answer('restart router')).toEqual({ kind: 'unavailable' });
  });
});
