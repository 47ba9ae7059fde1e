import { Get, HttpCode, Logger, NotFoundException, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import { OperatorController } from '../common/operator-controller.decorator';
import {
  DeliveryDetailDto,
  DeliveryListDto,
  DeliveryListQueryDto,
  DeliverySummaryDto,
  DiscardResultDto,
  ReplayResultDto,
} from './delivery.dto';
import { DeliveryService } from './delivery.service';

@OperatorController()
export class DeliveryController {
  private readonly logger = new Logger(DeliveryController.name);

  constructor(private readonly deliveries: DeliveryService) {}

  @Get('deliveries')
  @ApiOperation({ summary: 'List outbox deliveries, newest first, by status and kind' })
  @ApiOkResponse({ type: DeliveryListDto })
  async list(@Query() query: DeliveryListQueryDto): Promise<DeliveryListDto> {
    const records = await this.deliveries.list({
      status: query.status,
      kind: query.kind,
      limit: query.limit ?? 50,
      offset: query.offset ?? 0,
    });
    return { items: records.map((record) => DeliverySummaryDto.from(record)) };
  }

  // Declared before `deliveries/:id/replay` so the literal path is never read as an id.
  @Post('deliveries/replay-dead')
  @HttpCode(200)
  @ApiOperation({ summary: 'Put every dead letter back in the queue' })
  @ApiOkResponse({ type: ReplayResultDto })
  async replayAllDead(): Promise<ReplayResultDto> {
    return { replayed: await this.deliveries.replayAllDead() };
  }

  @Get('deliveries/:id')
  @ApiOperation({ summary: 'One delivery with its payload (personal data redacted), result and last error' })
  @ApiOkResponse({ type: DeliveryDetailDto })
  @ApiNotFoundResponse({ description: 'No such delivery' })
  async get(@Param('id', ParseUUIDPipe) id: string): Promise<DeliveryDetailDto> {
    const record = await this.deliveries.get(id);
    if (!record) throw new NotFoundException({ error: 'No such delivery' });
    return DeliveryDetailDto.from(record);
  }

  @Post('deliveries/:id/replay')
  @HttpCode(200)
  @ApiOperation({ summary: 'Put one dead letter back in the queue' })
  @ApiOkResponse({ type: ReplayResultDto })
  @ApiNotFoundResponse({ description: 'No dead letter with this id' })
  async replay(@Param('id', ParseUUIDPipe) id: string): Promise<ReplayResultDto> {
    if (!(await this.deliveries.replay(id)))
      throw new NotFoundException({ error: 'No dead letter with this id' });
    return { replayed: 1 };
  }

  @Post('deliveries/:id/discard')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Delete one dead letter for good',
    description:
      'For a write that must not be made (obsolete, or done by hand in Salesforce). Dead letters are otherwise ' +
      'kept until replayed or discarded; retention never prunes them.',
  })
  @ApiOkResponse({ type: DiscardResultDto })
  @ApiNotFoundResponse({ description: 'No dead letter with this id' })
  async discard(@Param('id', ParseUUIDPipe) id: string): Promise<DiscardResultDto> {
    if (!(await this.deliveries.discard(id)))
      throw new NotFoundException({ error: 'No dead letter with this id' });
    this.logger.warn(
      { event: 'dead_letter_discarded', deliveryId: id },
      'dead letter discarded by an operator',
    );
    return { discarded: 1 };
  }
}
