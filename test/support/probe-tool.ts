import { IsIn, IsNotEmpty, IsString } from 'class-validator';
import { ToolCallContext, VapiTool, VapiToolHandler } from '../../src/vapi/vapi-tool.decorator';

export class ProbeArgs {
  @IsString()
  @IsNotEmpty()
  accountNumber!: string;

  @IsIn(['succeed', 'throw'])
  behaviour!: 'succeed' | 'throw';
}

/**
 * A tool that only records that it ran: the front-door tests use it to see how many times, with which
 * arguments and context, a tool was executed. It is a test fixture, not a stand-in for one of our modules.
 */
@VapiTool({
  name: 'probeTool',
  description: 'Test probe',
  args: ProbeArgs,
})
export class ProbeTool implements VapiToolHandler<ProbeArgs> {
  readonly runs: { args: ProbeArgs; context: ToolCallContext }[] = [];

  run(args: ProbeArgs, context: ToolCallContext): Promise<string> {
    this.runs.push({ args, context });
    if (args.behaviour === 'throw') throw new Error('probe exploded with +14155550100 in its message');
    return Promise.resolve(`Probe ran for account ${args.accountNumber}.\nSecond line.`);
  }
}
