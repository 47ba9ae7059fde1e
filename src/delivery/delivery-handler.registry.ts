import { Injectable, OnModuleInit, Optional } from '@nestjs/common';
import { DiscoveryService, Reflector } from '@nestjs/core';
import { DELIVERY_HANDLER_METADATA, DeliveryHandler } from './delivery-handler';
import { DeliveryKind } from './delivery.types';

/**
 * Every `@OutboxHandler()` provider, by the kind it delivers. Found at start-up; tests and child processes
 * that wire the outbox by hand `register` theirs.
 */
@Injectable()
export class DeliveryHandlerRegistry implements OnModuleInit {
  private readonly handlers = new Map<string, DeliveryHandler>();

  constructor(
    @Optional() private readonly discovery?: DiscoveryService,
    @Optional() private readonly reflector?: Reflector,
  ) {}

  onModuleInit(): void {
    for (const wrapper of this.discovery?.getProviders() ?? []) {
      const instance: unknown = wrapper.instance;
      if (typeof instance !== 'object' || instance === null) continue;
      if (this.reflector?.get<boolean | undefined>(DELIVERY_HANDLER_METADATA, instance.constructor)) {
        this.register(instance as DeliveryHandler);
      }
    }
  }

  register(handler: DeliveryHandler): void {
    if (this.handlers.has(handler.kind)) throw new Error(`Two handlers for delivery kind ${handler.kind}`);
    this.handlers.set(handler.kind, handler);
  }

  /** The handler of `kind`; undefined for a kind this build does not know (a row written by another version). */
  find(kind: string): DeliveryHandler | undefined {
    return this.handlers.get(kind);
  }

  get<K extends DeliveryKind>(kind: K): DeliveryHandler<K> {
    const handler = this.handlers.get(kind);
    if (!handler) throw new Error(`No handler for delivery kind ${kind}`);
    return handler as unknown as DeliveryHandler<K>;
  }

  /** A probe of `target` (from any of its handlers), or undefined when none has one. */
  probeOf(target: string): (() => Promise<void>) | undefined {
    for (const handler of this.handlers.values()) {
      if (handler.target === target && handler.probe) return () => handler.probe?.() ?? Promise.resolve();
    }
    return undefined;
  }

  /** The targets writes go to, each once. */
  targets(): string[] {
    return [...new Set([...this.handlers.values()].map((handler) => handler.target))];
  }
}
