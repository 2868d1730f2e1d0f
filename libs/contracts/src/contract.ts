import type { z } from 'zod';

/**
 * A public integration event: its type name, the version of its payload shape, the topic it
 * travels on, the schema its payload must satisfy, and the key that orders it on that topic.
 */
export interface IntegrationEventContract<Type extends string = string, Payload = unknown> {
  readonly type: Type;
  readonly schemaVersion: number;
  readonly topic: string;
  readonly schema: z.ZodType<Payload>;
  /** Partition key: events with the same key keep their order. */
  key(payload: Payload): string;
  /**
   * Whether applying this event can narrow someone's access (a withdrawal, a pause, an unlink, a
   * visibility change, the end of an assignment or of a school's service). Such an event must not
   * be dropped quietly: a consumer that cannot apply one raises an alarm and fails closed for its key.
   */
  readonly narrowsAccess?: boolean;
}

/** Defines a contract, keeping the payload type inferred from the schema. */
export function defineContract<Type extends string, Payload>(
  contract: IntegrationEventContract<Type, Payload>,
): IntegrationEventContract<Type, Payload> {
  return contract;
}

/** The payload type of a contract: `ContractPayload<typeof DisclosureDecidedV1>`. */
export type ContractPayload<C> = C extends IntegrationEventContract<string, infer P> ? P : never;

export type ValidationResult<Payload = unknown> =
  | { readonly ok: true; readonly contract: IntegrationEventContract<string, Payload>; readonly payload: Payload }
  | { readonly ok: false; readonly error: string };

/** The set of contracts a consumer understands, looked up by type and schema version. */
export class ContractRegistry {
  private readonly contracts = new Map<string, IntegrationEventContract>();

  constructor(contracts: readonly IntegrationEventContract[]) {
    for (const contract of contracts) {
      const id = ContractRegistry.id(contract.type, contract.schemaVersion);
      if (this.contracts.has(id)) throw new Error(`contract ${id} is defined twice`);
      this.contracts.set(id, contract);
    }
  }

  /** Finds the contract for a type and version, if known. */
  find(type: string, schemaVersion: number): IntegrationEventContract | undefined {
    return this.contracts.get(ContractRegistry.id(type, schemaVersion));
  }

  /** Checks a payload against its contract; the error names the failing fields. */
  validate(type: string, schemaVersion: number, payload: unknown): ValidationResult {
    const contract = this.find(type, schemaVersion);
    if (!contract) return { ok: false, error: `no contract for ${ContractRegistry.id(type, schemaVersion)}` };
    const parsed = contract.schema.safeParse(payload);
    if (!parsed.success) {
      const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(payload)'}: ${i.message}`);
      return { ok: false, error: `${ContractRegistry.id(type, schemaVersion)} invalid: ${issues.join('; ')}` };
    }
    return { ok: true, contract, payload: parsed.data };
  }

  private static id(type: string, schemaVersion: number): string {
    return `${type}/v${schemaVersion}`;
  }
}
