import { LOCALES } from '../../src/calls/voice/locales';
import { TOOL_NAMES } from '../../src/calls/tools/tool-catalogue';
import { SalesforceErrorCode } from '../../src/salesforce/salesforce.errors';
import { CallWorld, eventually, startCallWorld, VERIFY_SERVICE_SID } from '../support/call-harness';
import { callTool, casesOf, deliveriesSettled, newCall, seedCaller, smsTo } from '../support/call-driver';
import { inKoreanDigits, notKorean } from '../support/languages';
import { expectToolMessagesFrom } from '../support/tool-messages';
import { vapiSchemaErrors } from '../support/vapi-openapi';
import { assistantRequestMessage, transferDestinationRequestMessage } from '../support/vapi-payloads';
import { postWebhook } from '../support/webhook-client';

const KOREAN = LOCALES.ko.sentences;

interface ToolMessage {
  type: string;
  content: string;
  timingMilliseconds?: number;
}

interface TransientAssistant {
  firstMessage: string;
  endCallMessage: string;
  voice: Record<string, unknown>;
  transcriber: Record<string, unknown>;
  model: {
    messages: { content: string }[];
    tools: { type: string; function?: { name: string }; messages?: ToolMessage[] }[];
  };
}

describe('a Korean call (ASSISTANT_LANGUAGE=ko)', () => {
  let world: CallWorld;
  beforeAll(async () => {
    world = await startCallWorld({
      ASSISTANT_LANGUAGE: 'ko',
      COMPANY_NAME: '한빛 통신',
      TOOL_WRITE_BUDGET_MS: '500',
      TWILIO_VERIFY_SERVICE_SID: VERIFY_SERVICE_SID,
    });
  });
  afterAll(() => world.close());
  afterEach(() => world.salesforce.faults.clear());

  const korean = () => seedCaller(world, { FirstName: '민준', LastName: '김' });

  it('should greet, prompt and say goodbye in Korean, with a Korean voice and transcriber VAPI accepts', async () => {
    const caller = korean();

    const reply = await postWebhook(world.app.url, assistantRequestMessage(newCall(caller.phone)));

    expect(reply.status).toBe(200);
    expect(vapiSchemaErrors('ServerMessageResponseAssistantRequest', reply.body)).toEqual([]);
    const assistant = reply.body.assistant as TransientAssistant;
    expect(assistant.firstMessage).toBe(
      '민준님, 안녕하세요. 한빛 통신에 전화해 주셔서 감사합니다. 무엇을 도와드릴까요?',
    );
    const prompt = assistant.model.messages[0].content;
    expect(prompt).toContain('항상 한국어로');
    expect(
      notKorean({ firstMessage: assistant.firstMessage, endCallMessage: assistant.endCallMessage }),
    ).toEqual([]);
    // The prompt names the tools and their English enum values on purpose: they are an API, not speech.
    expect(
      notKorean(
        Object.fromEntries(
          prompt
            .split('\n')
            .filter(Boolean)
            .map((line, i) => [`prompt ${i}`, line]),
        ),
      ),
    ).toEqual([]);
    expect(assistant.voice).toEqual({ provider: 'azure', voiceId: 'ko-KR-SunHiNeural' });
    expect(vapiSchemaErrors('AzureVoice', assistant.voice)).toEqual([]);
    expect(assistant.transcriber).toEqual({ provider: 'deepgram', model: 'nova-2', language: 'ko' });
    expect(vapiSchemaErrors('DeepgramTranscriber', assistant.transcriber)).toEqual([]);
  });

  it('should give every tool Korean words of its own for when it starts, is slow and fails', async () => {
    const reply = await postWebhook(world.app.url, assistantRequestMessage(newCall(korean().phone)));
    const tools = (reply.body.assistant as TransientAssistant).model.tools.filter(
      (tool) => tool.type === 'function',
    );

    // searchKnowledge is offered only when Salesforce Knowledge is configured (it is not here).
    expect(tools.map((tool) => tool.function?.name)).toEqual(
      TOOL_NAMES.filter((name) => name !== 'searchKnowledge'),
    );
    expectToolMessagesFrom(tools, KOREAN.whileTools.byTool);
    for (const tool of tools) {
      for (const message of tool.messages ?? []) {
        expect(notKorean({ [`${tool.function?.name} ${message.type}`]: message.content })).toEqual([]);
      }
    }
  });

  it('should open a case, read its number in Korean digits, text it in Korean and read it back in Korean', async () => {
    const caller = korean();
    const call = newCall(caller.phone);

    const opened = await callTool(world, call, 'createSalesforceCase', {
      issueType: 'billing',
      description: '10월 요금이 두 번 청구되었습니다',
    });

    const [created] = casesOf(world, caller.contactId);
    const caseNumber = String(created.CaseNumber);
    expect(created.Subject).toBe('요금 문의');
    expect(opened).toBe(
      `요금 문의를 접수했습니다. 접수 번호는 ${inKoreanDigits(caseNumber)} 번입니다. 접수 번호는 문자로도 보내 드리겠습니다.`,
    );
    await eventually(() => deliveriesSettled(world, call.id));
    const [sms] = smsTo(world, caller.phone);
    expect(sms.Body).toContain(caseNumber);
    expect(sms.Body).toMatch(/^\[한빛 통신\] 문의가 접수되었습니다\./);

    const status = await callTool(world, call, 'lookupCase', { caseNumber });
    expect(status).toContain(inKoreanDigits(caseNumber));
    expect(status).toContain('현재 접수 상태입니다.');
    expect(notKorean({ opened, sms: sms.Body, status })).toEqual([]);
  });

  it('should apologise in Korean when Salesforce is down', async () => {
    const call = newCall(korean().phone);
    world.salesforce.faults.set({ outage: true });

    const spoken = await callTool(world, call, 'lookupCase', { caseNumber: '00001001' });

    expect(Object.values(KOREAN.failures.salesforce)).toContain(spoken);
    expect(spoken).not.toBe(KOREAN.failures.salesforce[SalesforceErrorCode.UNKNOWN]);
    expect(notKorean({ spoken })).toEqual([]);
  });

  it('should have Twilio Verify text the code in Korean, speak the verification in Korean and text the change notice in Korean', async () => {
    const caller = korean();
    const call = newCall(caller.phone);

    const guarded = await callTool(world, call, 'updateContact', { email: 'minjun@example.test' });
    const sent = await callTool(world, call, 'sendVerificationCode', {});
    const verification = world.twilio.verifications.find((entry) => entry.to === caller.phone);
    const wrong = await callTool(world, call, 'verifyCaller', {
      code: verification?.code === '000000' ? '111111' : '000000',
    });
    const verified = await callTool(world, call, 'verifyCaller', { code: verification?.code });

    const updated = await callTool(world, call, 'updateContact', { email: 'minjun@example.test' });
    await eventually(() => deliveriesSettled(world, call.id));
    const notice = smsTo(world, caller.phone).map((message) => message.Body);

    expect(verification?.locale).toBe('ko');
    expect(guarded).toBe(KOREAN.verification.required);
    expect(sent).toContain(inKoreanDigits(caller.phone.slice(-2)));
    expect([wrong, verified]).toEqual([KOREAN.verification.wrongCode, KOREAN.verification.verified]);
    expect(updated).toBe('이메일 주소를 변경했습니다.');
    expect(notice).toEqual([expect.stringMatching(/^\[한빛 통신\] .*연락처 정보가 변경되었습니다/)]);
    expect(notKorean({ guarded, sent, wrong, verified, updated, notice: notice.join(' ') })).toEqual([]);
  });

  it('should ask for a missing argument and hand over to a person in Korean', async () => {
    const call = newCall(korean().phone);

    const question = await callTool(world, call, 'addCaseComment', { caseNumber: '00001001' });
    const transfer = await postWebhook(world.app.url, transferDestinationRequestMessage(call));

    expect(question).toBe(KOREAN.questions.byTool.addCaseComment.comment);
    expect(vapiSchemaErrors('ServerMessageResponseTransferDestinationRequest', transfer.body)).toEqual([]);
    const message = (transfer.body as { destination?: { message?: string } }).destination?.message;
    expect(message).toBe(KOREAN.transfer.connecting);
    expect(notKorean({ question, transfer: String(message) })).toEqual([]);
  });
});

describe('a Spanish call (ASSISTANT_LANGUAGE=es)', () => {
  let world: CallWorld;
  beforeAll(async () => {
    world = await startCallWorld({ ASSISTANT_LANGUAGE: 'es', COMPANY_NAME: undefined });
  });
  afterAll(() => world.close());

  it('should greet in Spanish with a Spanish voice, and read the case number digit by digit in Spanish words', async () => {
    const caller = seedCaller(world, { FirstName: 'Lucía' });
    const call = newCall(caller.phone);

    const reply = await postWebhook(world.app.url, assistantRequestMessage(call));
    const opened = await callTool(world, call, 'createSalesforceCase', {
      issueType: 'technical',
      description: 'El router no enciende',
    });

    expect(vapiSchemaErrors('ServerMessageResponseAssistantRequest', reply.body)).toEqual([]);
    const assistant = reply.body.assistant as TransientAssistant;
    expect(assistant.firstMessage).toBe(
      'Hola, Lucía. Gracias por llamar a nuestro equipo de soporte. ¿En qué le puedo ayudar?',
    );
    expect(assistant.voice).toEqual({ provider: 'azure', voiceId: 'es-US-PalomaNeural' });
    expect(assistant.transcriber).toMatchObject({ language: 'es' });
    const lookup = assistant.model.tools.find((tool) => tool.function?.name === 'lookupCase');
    expect(lookup?.messages?.[0].content).toBe('Permítame buscar ese caso.');
    const [created] = casesOf(world, caller.contactId);
    const words = ['cero', 'uno', 'dos', 'tres', 'cuatro', 'cinco', 'seis', 'siete', 'ocho', 'nueve'];
    const spoken = String(created.CaseNumber)
      .split('')
      .map((digit) => words[Number(digit)])
      .join(', ');
    expect(opened).toBe(
      `Abrí el caso ${spoken} por su problema técnico. También le enviaré el número de caso por mensaje de texto.`,
    );
  });
});
