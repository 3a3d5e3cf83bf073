// Who can sign in at the sandbox IdPs: the accounts of the demo world, and the simulated smart cards they use.
import type { Company, Person, SandboxWorld, SubjectType } from './data.ts';

/** Simulated smart cards, shared by all IdPs since one physical card serves both: three wrong PINs lock it. */
export class CardRegistry {
  #failures = new Map<string, number>();
  static readonly MAX_ATTEMPTS = 3;
  key(personId: string, methodId: string): string {
    return `${personId}:${methodId}`;
  }
  isLocked(personId: string, methodId: string): boolean {
    return (this.#failures.get(this.key(personId, methodId)) ?? 0) >= CardRegistry.MAX_ATTEMPTS;
  }
  /** Returns the attempts left after this failure. */
  fail(personId: string, methodId: string): number {
    const k = this.key(personId, methodId);
    const n = (this.#failures.get(k) ?? 0) + 1;
    this.#failures.set(k, n);
    return Math.max(0, CardRegistry.MAX_ATTEMPTS - n);
  }
  succeed(personId: string, methodId: string): void {
    this.#failures.delete(this.key(personId, methodId));
  }
  reset(): void {
    this.#failures.clear();
  }
}

/** The subject an account id names: a person, or a company through its representative. */
export interface AccountView {
  accountId: string;
  subjectType: SubjectType;
  person: Person;
  company?: Company;
}

/** The person or company (through its representative) an account id names, if the world has one. */
export function resolveAccount(world: SandboxWorld, accountId: string): AccountView | undefined {
  const person = world.people.find((p) => p.id === accountId);
  if (person) return { accountId, subjectType: 'natural', person };
  const company = world.companies.find((c) => c.id === accountId);
  if (!company) return undefined;
  const rep = world.people.find((p) => p.id === company.representative);
  if (!rep) return undefined;
  return { accountId, subjectType: 'legal', person: rep, company };
}
