import {
  Controller,
  Get,
  HttpCode,
  NotFoundException,
  Param,
  ParseUUIDPipe,
  Post,
  Query,
  UseGuards,
  UsePipes,
  ValidationPipe,
} from '@nestjs/common';
import {
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiSecurity,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { ThrottlerGuard } from '@nestjs/throttler';
import { AdminApiKeyGuard } from '../common/admin-api-key.guard';
import { Database } from '../store/database.factory';
import { InjectDatabase } from '../store/store.tokens';
import {
  CallRecordDto,
  CallWithDeliveriesDto,
  DeliveryDetailDto,
  DeliveryListDto,
  DeliveryListQueryDto,
  DeliverySummaryDto,
  ReplayResultDto,
} from './delivery.dto';
import { DeliveryService } from './delivery.service';

@ApiTags('operator')
@ApiSecurity('admin-api-key')
@ApiUnauthorizedResponse({ description: 'Missing or wrong API key' })
@ApiTooManyRequestsResponse({ description: 'Operator rate limit exceeded' })
@UseGuards(AdminApiKeyGuard, ThrottlerGuard)
@UsePipes(new ValidationPipe({ transform: true, whitelist: true }))
@Controller('admin')
export class DeliveryController {
  constructor(
    private readonly deliveries: DeliveryService,
    @InjectDatabase() private readonly db: Database,
  ) {}

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

  @Get('calls/:callId')
  @ApiOperation({ summary: "A call's stored record (personal data redacted) and its deliveries" })
  @ApiOkResponse({ type: CallWithDeliveriesDto })
  @ApiNotFoundResponse({ description: 'Neither a call record nor deliveries for this id' })
  async call(@Param('callId') callId: string): Promise<CallWithDeliveriesDto> {
    const [row, deliveries] = await Promise.all([
      this.db.selectFrom('calls').selectAll().where('id', '=', callId).executeTakeFirst(),
      this.deliveries.listForCall(callId),
    ]);
    if (!row && deliveries.length === 0) throw new NotFoundException({ error: 'No such call' });
    return {
      call: row ? CallRecordDto.from(row) : null,
      deliveries: deliveries.map((record) => DeliveryDetailDto.from(record)),
    };
  }
}
