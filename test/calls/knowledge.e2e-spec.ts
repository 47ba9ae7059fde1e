import { LOCALES } from '../../src/calls/voice/locales';
import { DEMO_PASSWORD_ANSWER } from '../fakes/salesforce/demo-org';
import { CallWorld, startCallWorld } from '../support/call-harness';
import { notKorean } from '../support/languages';
import { callTool, newCall } from '../support/call-driver';
import { vapiSchemaErrors } from '../support/vapi-openapi';
import { assistantRequestMessage, callObject, CallFixture } from '../support/vapi-payloads';
import { postWebhook } from '../support/webhook-client';

const ENGLISH = LOCALES.en.sentences;

const { knowledge } = ENGLISH;
const JANE = '+14155550100';

/** A `knowledge-base-request` as VAPI sends it to a custom knowledge base (OpenAPI ServerMessageKnowledgeBaseRequest). */
function knowledgeBaseRequest(call: CallFixture, question: string) {
  const messages = [
    { role: 'assistant', content: 'Hi, thanks for calling Acme support. How can I help?' },
    { role: 'user', content: question },
  ];
  return {
    message: {
      type: 'knowledge-base-request',
      timestamp: Date.now(),
      call: callObject(call),
      messages: messages.map((entry) => ({
        role: entry.role === 'assistant' ? 'bot' : 'user',
        message: entry.content,
        time: Date.now(),
        secondsFromStart: 1,
      })),
      messagesOpenAIFormatted: messages,
    },
  };
}

type Assistant = {
  model: { tools: { type: string; function?: { name: string } }[]; messages: { content: string }[] };
};
const functionNames = (assistant: Assistant) =>
  assistant.model.tools.filter((tool) => tool.type === 'function').map((tool) => tool.function?.name);

describe('answers from Salesforce Knowledge (KNOWLEDGE_ANSWER_FIELD set)', () => {
  let world: CallWorld;
  beforeAll(async () => {
    world = await startCallWorld({
      KNOWLEDGE_ANSWER_FIELD: 'Answer__c',
      KNOWLEDGE_CACHE_SECONDS: '0',
      KNOWLEDGE_TIMEOUT_MS: '300',
    });
  });
  afterAll(() => world.close());
  afterEach(() => world.salesforce.faults.set({}));

  it('should offer the searchKnowledge tool and tell the model when to use it', async () => {
    const reply = await postWebhook(world.app.url, assistantRequestMessage(newCall(JANE)));

    const assistant = reply.body.assistant as Assistant;
    expect(functionNames(assistant)).toContain('searchKnowledge');
    expect(assistant.model.messages[0].content).toContain(knowledge.prompt);
    expect(vapiSchemaErrors('ServerMessageResponseAssistantRequest', reply.body)).toEqual([]);
  });

  it('should answer a how-to question with a short snippet of the published article, never the draft or archived one', async () => {
    const call = newCall(JANE);

    const spoken = await callTool(world, call, 'searchKnowledge', {
      question: 'How do I reset my portal password?',
    });

    const snippet = spoken.slice(knowledge.answer('Reset your portal password', '').length);
    expect(spoken).toBe(knowledge.answer('Reset your portal password', snippet));
    // Whole sentences of the published answer, as plain words, short enough to be spoken.
    expect(snippet.startsWith(DEMO_PASSWORD_ANSWER)).toBe(true);
    expect(snippet).toMatch(/\.$/);
    expect(snippet.length).toBeLessThanOrEqual(300);
    expect(spoken).not.toMatch(/DRAFT|ARCHIVED|hotline|<\w|&amp;/);
  });

  it('should answer a knowledge-base-request with documents from published articles only', async () => {
    const reply = await postWebhook(
      world.app.url,
      knowledgeBaseRequest(newCall(JANE), 'I forgot my password, how can I reset it?'),
    );

    expect(reply.status).toBe(200);
    expect(vapiSchemaErrors('ServerMessageResponseKnowledgeBaseRequest', reply.body)).toEqual([]);
    const documents = reply.body.documents as { content: string; similarity: number; uuid: string }[];
    expect(documents.length).toBeGreaterThan(0);
    expect(documents[0]).toEqual({
      content: expect.stringContaining(`Reset your portal password: ${DEMO_PASSWORD_ANSWER}`),
      similarity: expect.any(Number),
      uuid: world.org.articles.passwordOnline,
    });
    const published = [world.org.articles.passwordOnline, world.org.articles.routerOnline];
    for (const document of documents) {
      expect(published).toContain(document.uuid);
      expect(document.content).not.toMatch(/DRAFT|ARCHIVED/);
    }
  });

  it('should not read out a draft even when the question matches only the draft', async () => {
    // Only the draft mentions a hotline and an extension; the published article shares just "reset password".
    const spoken = await callTool(world, newCall(JANE), 'searchKnowledge', {
      question: 'Which hotline extension resets a password?',
    });

    expect(spoken).not.toMatch(/hotline|4471|DRAFT/i);
    expect(spoken.startsWith(knowledge.answer('Reset your portal password', ''))).toBe(true);
  });

  it('should answer from articles in the configured language only', async () => {
    // The Korean and Spanish versions carry these English words in their summaries too.
    const reply = await postWebhook(
      world.app.url,
      knowledgeBaseRequest(newCall(JANE), 'portal password reset'),
    );

    const documents = reply.body.documents as { uuid: string }[];
    expect(documents.map((document) => document.uuid)).toEqual([world.org.articles.passwordOnline]);
  });

  it('should say it found nothing for a question no article answers', async () => {
    const spoken = await callTool(world, newCall(JANE), 'searchKnowledge', {
      question: 'Can you recommend a good pizzeria?',
    });

    expect(spoken).toBe(knowledge.noAnswer);
  });

  it('should say it cannot look it up when Salesforce is slower than the time budget', async () => {
    world.salesforce.faults.set({ hang: true, match: (request) => request.path.includes('/search') });

    const spoken = await callTool(world, newCall(JANE), 'searchKnowledge', {
      question: 'How do I restart my router?',
    });
    const reply = await postWebhook(world.app.url, knowledgeBaseRequest(newCall(JANE), 'restart my router'));

    expect(spoken).toBe(knowledge.unavailable);
    expect(reply.body).toEqual({ documents: [] });
  });
});

describe('Salesforce Knowledge on a Korean line (ASSISTANT_LANGUAGE=ko, KNOWLEDGE_LANGUAGE unset)', () => {
  let world: CallWorld;
  beforeAll(async () => {
    world = await startCallWorld({
      ASSISTANT_LANGUAGE: 'ko',
      KNOWLEDGE_ANSWER_FIELD: 'Answer__c',
      KNOWLEDGE_CACHE_SECONDS: '0',
    });
  });
  afterAll(() => world.close());

  it('should answer from the published Korean article, in Korean, never the English one', async () => {
    const spoken = await callTool(world, newCall(JANE), 'searchKnowledge', {
      question: '포털 비밀번호를 어떻게 재설정하나요?',
    });

    const korean = LOCALES.ko.sentences.knowledge;
    expect(spoken.startsWith(korean.answer('포털 비밀번호 재설정', ''))).toBe(true);
    expect(spoken).toContain('비밀번호 찾기');
    expect(notKorean({ answer: spoken })).toEqual([]);
    expect(spoken).not.toContain(DEMO_PASSWORD_ANSWER.slice(0, 20));
  });
});

describe('Salesforce Knowledge not configured (the default)', () => {
  let world: CallWorld;
  beforeAll(async () => {
    world = await startCallWorld();
  });
  afterAll(() => world.close());

  it('should neither offer nor run searchKnowledge, and answer knowledge-base requests with no documents', async () => {
    const call = newCall(JANE);
    const reply = await postWebhook(world.app.url, assistantRequestMessage(call));
    const spoken = await callTool(world, call, 'searchKnowledge', {
      question: 'How do I reset my password?',
    });
    const documents = await postWebhook(world.app.url, knowledgeBaseRequest(call, 'reset my password'));

    expect(functionNames(reply.body.assistant as Assistant)).not.toContain('searchKnowledge');
    expect(spoken).toBe(ENGLISH.failures.frontDoor.UNKNOWN_TOOL);
    expect(documents.body).toEqual({ documents: [] });
  });
});
