import {
  KyselyPlugin,
  OperationNodeTransformer,
  PluginTransformQueryArgs,
  PluginTransformResultArgs,
  PrimitiveValueListNode,
  QueryResult,
  RootOperationNode,
  UnknownRow,
  ValueNode,
} from 'kysely';

/** U+FFFD, the character Unicode reserves for "a character that could not be represented". */
const REPLACEMENT = '\uFFFD';

function clean(value: unknown): unknown {
  return typeof value === 'string' && value.includes('\u0000')
    ? value.replaceAll('\u0000', REPLACEMENT)
    : value;
}

class NulTransformer extends OperationNodeTransformer {
  protected override transformValue(node: ValueNode): ValueNode {
    return super.transformValue({ ...node, value: clean(node.value) });
  }

  protected override transformPrimitiveValueList(node: PrimitiveValueListNode): PrimitiveValueListNode {
    return super.transformPrimitiveValueList({ ...node, values: node.values.map(clean) });
  }
}

/**
 * PostgreSQL text cannot hold the NUL character (U+0000): a string with one is refused with "invalid byte
 * sequence" (SQLSTATE 22021), and SQLite's string functions stop at it. VAPI payloads are JSON, where
 * `\u0000` is legal, so any id, reason or transcript may carry one. Every bound string is stored with NUL
 * replaced by U+FFFD instead, on both dialects, so such a message is stored (and acknowledged) like any other.
 * JSON columns are unaffected: JSON.stringify already writes NUL as the six characters `\u0000`.
 */
export class TextSanitizerPlugin implements KyselyPlugin {
  private readonly transformer = new NulTransformer();

  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    return this.transformer.transformNode(args.node);
  }

  transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    return Promise.resolve(args.result);
  }
}
