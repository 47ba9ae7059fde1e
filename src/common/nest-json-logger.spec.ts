import { Logger } from '@nestjs/common';
import { Writable } from 'node:stream';
import { createAppLogger } from './app-logger';
import { NestJsonLogger } from './nest-json-logger';

/** The lines a NestJsonLogger over the app's logger writes, as Nest's `new Logger(context)` calls it. */
function capture(): { lines: Record<string, unknown>[]; logger: NestJsonLogger } {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString('utf8')) as Record<string, unknown>);
      done();
    },
  });
  return { lines, logger: new NestJsonLogger(createAppLogger('debug', stream)) };
}

describe('NestJsonLogger', () => {
  // Back to Nest's own logger for the other tests of the process.
  afterEach(() => {
    Logger.overrideLogger(true);
  });

  it('should write the call shapes of the code base with their context, fields and message', () => {
    const { lines, logger } = capture();
    Logger.overrideLogger(logger);
    const nest = new Logger('CallWorkflow');

    nest.warn({ event: 'assistant_hang', callId: 'call-1' }, 'assistant reported a delay');
    nest.log('plain text for +14155550100');
    nest.debug({ event: 'no_message' });
    nest.error(new Error('token Bearer abc.def refused'));

    expect(lines).toEqual([
      expect.objectContaining({
        level: 40,
        context: 'CallWorkflow',
        event: 'assistant_hang',
        callId: 'call-1',
        msg: 'assistant reported a delay',
      }),
      expect.objectContaining({ level: 30, context: 'CallWorkflow', msg: 'plain text for [phone]' }),
      expect.objectContaining({ level: 20, context: 'CallWorkflow', event: 'no_message' }),
      expect.objectContaining({
        level: 50,
        context: 'CallWorkflow',
        err: expect.objectContaining({ type: 'Error', message: 'token Bearer [token] refused' }),
        msg: 'token Bearer [token] refused',
      }),
    ]);
    expect(lines[2]).not.toHaveProperty('msg');
  });

  it("should turn Nest's (message, stack) of its exception handlers into an err with that stack", () => {
    const { lines, logger } = capture();
    logger.error('boom', 'Error: boom\n    at handler (file.ts:1:1)', 'ExceptionsHandler');

    expect(lines).toEqual([
      expect.objectContaining({
        context: 'ExceptionsHandler',
        err: expect.objectContaining({ message: 'boom', stack: 'Error: boom\n    at handler (file.ts:1:1)' }),
        msg: 'boom',
      }),
    ]);
  });

  it('should redact nested personal fields and cut a long call id', () => {
    const { lines, logger } = capture();
    logger.log({ event: 'x', callId: 'c'.repeat(300), caller: { phone: '+14155550100' } }, 'Ctx');

    expect(lines[0]).toMatchObject({ caller: { phone: '[redacted]' }, callId: `${'c'.repeat(128)}…` });
  });
});
