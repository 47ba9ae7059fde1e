import { SfApiError } from './fake-errors';
import { ObjectDef } from './fake-schema';
import type { FieldValue } from './fake-store';
import { recordUrl } from './fake-store';

/**
 * Duplicate rules (Setup → Duplicate Rules): a save whose record matches another record of the object is
 * refused with `DUPLICATES_DETECTED` (HTTP 400), carrying a `duplicateResult` with the rule and the matched
 * records, as the REST API answers it. A rule whose action is "Alert" lets the save through when the request
 * sends `Sforce-Duplicate-Rule-Header: allowSave=true`; a "Block" rule never does. Seeding bypasses rules.
 * Facts: REST API Developer Guide, "Duplicate Rule Header" (API 52.0+); the SOAP API's DuplicateResult and
 * MatchResult types name the fields of `duplicateResult`.
 */

export interface FakeDuplicateRule {
  /** The rule's API name, e.g. `Standard_Contact_Duplicate_Rule`. */
  name: string;
  /** The object it guards, e.g. `Contact`. */
  object: string;
  /**
   * Fields whose values must all equal another record's for a match (its matching rule, reduced to exact
   * matching: case, surrounding spaces and, for phone fields, formatting are ignored). Empty values never match.
   */
  fields: string[];
  action: 'block' | 'alert';
}

const ERROR_MESSAGE = 'Use one of these records?';

/** `allowSave=true; includeRecordDetails=false; …` → whether allowSave is true. */
export function allowsDuplicateSave(header: string | undefined): boolean {
  return (header ?? '')
    .split(/[;,]/)
    .map((part) => part.trim().toLowerCase().replace(/\s+/g, ''))
    .includes('allowsave=true');
}

export class DuplicateRules {
  private rules: FakeDuplicateRule[];

  constructor(private readonly initial: FakeDuplicateRule[] = []) {
    this.rules = [...initial];
  }

  set(rules: FakeDuplicateRule[]): void {
    this.rules = rules.map((rule) => ({ ...rule, fields: [...rule.fields] }));
  }

  current(): FakeDuplicateRule[] {
    return this.rules.map((rule) => ({ ...rule, fields: [...rule.fields] }));
  }

  reset(): void {
    this.set(this.initial);
  }

  /**
   * Throws DUPLICATES_DETECTED when `fields` (the record as it would be saved) matches another record under
   * one of the object's rules, unless the rule only alerts and the request allowed the save.
   */
  check(
    def: ObjectDef,
    fields: Readonly<Record<string, FieldValue>>,
    id: string,
    others: { id: string; fields: Readonly<Record<string, FieldValue>> }[],
    context: { apiVersion: string; allowDuplicateSave?: boolean },
  ): void {
    for (const rule of this.rules) {
      if (rule.object.toLowerCase() !== def.name.toLowerCase()) continue;
      if (rule.action === 'alert' && context.allowDuplicateSave) continue;
      const key = matchKey(def, rule, fields);
      if (key === undefined) continue;
      const matches = others.filter((other) => other.id !== id && matchKey(def, rule, other.fields) === key);
      if (matches.length === 0) continue;
      throw new SfApiError(400, [
        {
          errorCode: 'DUPLICATES_DETECTED',
          message: ERROR_MESSAGE,
          duplicateResult: {
            allowSave: rule.action === 'alert',
            duplicateRule: rule.name,
            duplicateRuleEntityType: def.name,
            errorMessage: ERROR_MESSAGE,
            matchResults: [
              {
                entityType: def.name,
                errors: [],
                matchEngine: 'ExactMatchEngine',
                matchRecords: matches.map((other) => ({
                  additionalInformation: [],
                  fieldDiffs: [],
                  matchConfidence: 100,
                  record: {
                    attributes: { type: def.name, url: recordUrl(context.apiVersion, def.name, other.id) },
                    Id: other.id,
                  },
                })),
                rule: `${rule.name}_Match_Rule`,
                size: matches.length,
                success: true,
              },
            ],
          },
        },
      ]);
    }
  }
}

/** The values a rule compares, as one string; undefined when one of them is empty (no match possible). */
function matchKey(
  def: ObjectDef,
  rule: FakeDuplicateRule,
  fields: Readonly<Record<string, FieldValue>>,
): string | undefined {
  const parts: string[] = [];
  for (const name of rule.fields) {
    const field = def.fieldMap.get(name.toLowerCase());
    const value = field ? fields[field.name] : undefined;
    if (value === null || value === undefined || String(value).trim() === '') return undefined;
    const text = String(value).trim().toLowerCase();
    parts.push(field?.type === 'phone' ? text.replace(/\D/g, '') : text);
  }
  return parts.length > 0 ? parts.join('\u0000') : undefined;
}
