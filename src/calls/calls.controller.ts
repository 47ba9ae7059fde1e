import { Get, NotFoundException, Param } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiOperation } from '@nestjs/swagger';
import { OperatorController } from '../common/operator-controller.decorator';
import { DeliveryDetailDto } from '../delivery/delivery.dto';
import { DeliveryService } from '../delivery/delivery.service';
import { CallRecordDto, CallWithDeliveriesDto } from './calls.dto';
import { CallsRepository } from './calls.repository';

@OperatorController()
export class CallsController {
  constructor(
    private readonly calls: CallsRepository,
    private readonly deliveries: DeliveryService,
  ) {}

  @Get('calls/:callId')
  @ApiOperation({ summary: "A call's stored record (personal data redacted) and its deliveries" })
  @ApiOkResponse({ type: CallWithDeliveriesDto })
  @ApiNotFoundResponse({ description: 'Neither a call record nor deliveries for this id' })
  async call(@Param('callId') callId: string): Promise<CallWithDeliveriesDto> {
    const [row, deliveries] = await Promise.all([
      this.calls.getRow(callId),
      this.deliveries.listForCall(callId),
    ]);
    if (!row && deliveries.length === 0) throw new NotFoundException({ error: 'No such call' });
    return {
      call: row ? CallRecordDto.from(row) : null,
      deliveries: deliveries.map((record) => DeliveryDetailDto.from(record)),
    };
  }
}
