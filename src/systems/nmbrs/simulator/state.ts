/**
 * In-memory Nmbrs world: what the SOAP operations read and the control API changes.
 * Methods throw StateError for bad control requests; SOAP-level errors live in auth.ts.
 */
import { demoData, emptyData, type NmbrsData } from './demo';
import { recalculatedRunAt } from './inferred';
import { isBalanced, payrollTransaction, recalculate, standardComponents } from './journal';
import type { Company, CompanyAddress, Debtor, Employee, JournalTransaction, NmbrsUser, Run, WageTaxDeclaration } from './types';

export class StateError extends Error {
  constructor(
    readonly status: 400 | 404 | 409,
    message: string,
  ) {
    super(message);
  }
}

export type DebtorInput = Omit<Debtor, 'number' | 'subscribed'> & Partial<Pick<Debtor, 'number' | 'subscribed'>>;

export type CompanyInput = Pick<Company, 'id' | 'debtorId' | 'name'> &
  Partial<Omit<Company, 'id' | 'debtorId' | 'name'>>;

export interface RunInput {
  id?: number;
  number?: number;
  year: number;
  periodStart: number;
  periodEnd?: number;
  description?: string;
  runAt?: string;
  isLocked?: boolean;
  /** Explicit journal; must balance. Without it a standard payroll journal is generated. */
  journal?: JournalTransaction[];
  /** Gross wages per period in cents for the generated journal. */
  grossCents?: number;
}

export class NmbrsState {
  private debtors = new Map<number, Debtor>();
  private companies = new Map<number, Company>();
  private runs = new Map<number, Run>();
  /** Keyed by lower-cased username: Nmbrs logins are e-mail addresses. */
  private users = new Map<string, NmbrsUser>();
  private employees = new Map<number, Employee>();
  private wageTaxes = new Map<number, WageTaxDeclaration>();
  private addresses = new Map<number, CompanyAddress>();
  /** Address ids only grow (a deleted id is never given again in this process). */
  private addressSeq = 8000;

  constructor(data: NmbrsData = demoData()) {
    this.load(data);
  }

  /** Replaces everything with `data` (a `snapshot()`, e.g. read back from a state file). */
  load(data: NmbrsData): void {
    for (const key of ['debtors', 'companies', 'runs', 'users'] as const) {
      if (!Array.isArray(data?.[key])) throw new Error(`"${key}" is not a list`);
    }
    this.debtors = new Map(data.debtors.map((d) => [d.id, structuredClone(d)]));
    this.companies = new Map(data.companies.map((c) => [c.id, structuredClone(c)]));
    this.runs = new Map(data.runs.map((r) => [r.id, structuredClone(r)]));
    this.users = new Map(data.users.map((u) => [u.username.toLowerCase(), structuredClone(u)]));
    // State files from before these existed have none.
    this.employees = new Map((data.employees ?? []).map((e) => [e.id, structuredClone(e)]));
    this.wageTaxes = new Map((data.wageTaxes ?? []).map((w) => [w.id, structuredClone(w)]));
    this.addresses = new Map((data.addresses ?? []).map((a) => [a.id, structuredClone(a)]));
    this.addressSeq = Math.max(8000, ...this.addresses.keys());
  }

  reset(demo = true): void {
    this.load(demo ? demoData() : emptyData());
  }

  /** Plain, JSON-safe copy of the whole state (no Maps: every record list is an array). */
  snapshot(): NmbrsData {
    return structuredClone({
      debtors: [...this.debtors.values()],
      companies: [...this.companies.values()],
      runs: [...this.runs.values()],
      users: [...this.users.values()],
      employees: [...this.employees.values()],
      wageTaxes: [...this.wageTaxes.values()],
      addresses: [...this.addresses.values()],
    });
  }

  // ---- reads used by the SOAP operations ----

  user(username: string): NmbrsUser | undefined {
    return this.users.get(username.toLowerCase());
  }

  debtor(id: number): Debtor | undefined {
    return this.debtors.get(id);
  }

  company(id: number): Company | undefined {
    return this.companies.get(id);
  }

  run(id: number): Run | undefined {
    return this.runs.get(id);
  }

  /** Debtors a login can see: its own debtor, or every debtor of its environment (master login). */
  debtorsOf(user: NmbrsUser): Debtor[] {
    return [...this.debtors.values()]
      .filter((d) => d.domain.toLowerCase() === user.domain.toLowerCase())
      .filter((d) => user.debtorId === undefined || d.id === user.debtorId)
      .sort((a, b) => a.id - b.id);
  }

  companiesOfDebtors(debtorIds: number[]): Company[] {
    return [...this.companies.values()].filter((c) => debtorIds.includes(c.debtorId)).sort((a, b) => a.id - b.id);
  }

  runsOf(companyId: number, year: number): Run[] {
    return [...this.runs.values()]
      .filter((r) => r.companyId === companyId && r.year === year)
      .sort((a, b) => a.number - b.number);
  }

  employeesOf(companyId: number): Employee[] {
    return [...this.employees.values()].filter((e) => e.companyId === companyId).sort((a, b) => a.number - b.number);
  }

  wageTaxesOf(companyId: number, year: number): WageTaxDeclaration[] {
    return [...this.wageTaxes.values()].filter((w) => w.companyId === companyId && w.year === year).sort((a, b) => a.period - b.period || a.id - b.id);
  }

  wageTax(id: number): WageTaxDeclaration | undefined {
    return this.wageTaxes.get(id);
  }

  currentAddress(companyId: number): CompanyAddress | undefined {
    return [...this.addresses.values()].filter((a) => a.companyId === companyId).sort((a, b) => b.id - a.id)[0];
  }

  private nextId(map: Map<number, unknown>, floor: number): number {
    return Math.max(floor, ...map.keys()) + 1;
  }

  // ---- writes the SOAP operations make (Company_Insert, Address_Insert/Update) ----

  insertCompany(debtorId: number, name: string, periodType: Company['periodType']): Company {
    const id = this.nextId(this.companies, 1000);
    const number = Math.max(0, ...[...this.companies.values()].filter((c) => c.debtorId === debtorId).map((c) => c.number)) + 1;
    const year = new Date().getUTCFullYear();
    const company: Company = { id, debtorId, number, name, periodType, loonaangifteTijdvak: periodType === 'M' ? 'Month' : 'Week4', currentYear: year, currentPeriod: 1, wageCodes: [] };
    this.companies.set(id, company);
    return structuredClone(company);
  }

  /** Address_Update is a delete plus an insert (contract market.md §1.4): the new address gets a new id. */
  insertAddress(companyId: number, input: Omit<CompanyAddress, 'id' | 'companyId'>, replace: boolean): CompanyAddress {
    if (replace) for (const a of [...this.addresses.values()]) if (a.companyId === companyId) this.addresses.delete(a.id);
    const address: CompanyAddress = { ...input, id: ++this.addressSeq, companyId };
    this.addresses.set(address.id, address);
    return structuredClone(address);
  }

  // ---- mutations used by the control API ----

  addEmployees(companyId: number, employees: Array<Partial<Employee>>): Employee[] {
    if (!this.companies.has(companyId)) throw new StateError(404, `company ${companyId} not found`);
    const existing = this.employeesOf(companyId).length;
    return employees.map((e, i) => {
      const id = e.id ?? this.nextId(this.employees, 7000);
      const employee: Employee = {
        id,
        companyId,
        number: e.number ?? existing + i + 1,
        displayName: e.displayName ?? `Werknemer ${existing + i + 1}`,
        employeeType: e.employeeType ?? 1,
        iban: e.iban ?? `NL91ABNA${String(400_000_0000 + id).slice(-10)}`,
        netCents: e.netCents ?? 250_000,
      };
      this.employees.set(id, employee);
      return structuredClone(employee);
    });
  }

  addWageTax(input: Omit<WageTaxDeclaration, 'id' | 'version'> & { id?: number }): WageTaxDeclaration {
    if (!this.companies.has(input.companyId)) throw new StateError(404, `company ${input.companyId} not found`);
    const w: WageTaxDeclaration = { ...input, id: input.id ?? this.nextId(this.wageTaxes, 9000), version: 1 };
    this.wageTaxes.set(w.id, w);
    return structuredClone(w);
  }

  /** Status change (e.g. open → locked) or a recomputation (`recompute`: the XML changes). */
  updateWageTax(id: number, change: { status?: string; recompute?: boolean }): WageTaxDeclaration {
    const w = this.wageTaxes.get(id);
    if (!w) throw new StateError(404, `wage tax declaration ${id} not found`);
    if (change.status !== undefined) w.status = change.status;
    if (change.recompute) {
      w.version++;
      w.totalGeneral += 17;
    }
    return structuredClone(w);
  }


  addDebtor(input: DebtorInput): Debtor {
    if (this.debtors.has(input.id)) throw new StateError(409, `debtor ${input.id} exists`);
    const debtor: Debtor = { number: input.id, subscribed: true, ...input };
    this.debtors.set(debtor.id, debtor);
    return structuredClone(debtor);
  }

  addCompany(input: CompanyInput): Company {
    if (this.companies.has(input.id)) throw new StateError(409, `company ${input.id} exists`);
    if (!this.debtors.has(input.debtorId)) throw new StateError(404, `debtor ${input.debtorId} not found`);
    const company: Company = {
      number: input.id,
      periodType: 'M',
      loonaangifteTijdvak: 'Month',
      currentYear: 2026,
      currentPeriod: 1,
      wageCodes: [],
      ...input,
    };
    this.companies.set(company.id, company);
    return structuredClone(company);
  }

  addRun(companyId: number, input: RunInput): Run {
    const company = this.companies.get(companyId);
    if (!company) throw new StateError(404, `company ${companyId} not found`);
    const id = input.id ?? Math.max(40_000, ...this.runs.keys()) + 1;
    if (this.runs.has(id)) throw new StateError(409, `run ${id} exists`);
    const periodEnd = input.periodEnd ?? input.periodStart;
    if (periodEnd < input.periodStart) throw new StateError(400, 'periodEnd before periodStart');
    const journal =
      input.journal ??
      Array.from({ length: periodEnd - input.periodStart + 1 }, (_, i) =>
        payrollTransaction(
          input.year,
          input.periodStart + i,
          standardComponents(input.grossCents ?? 1_000_000),
          company.periodType,
        ),
      );
    if (!isBalanced(journal)) throw new StateError(400, 'journal does not balance (debit ≠ credit per transaction)');
    const run: Run = {
      id,
      companyId,
      number: input.number ?? this.runsOf(companyId, input.year).length + 1,
      year: input.year,
      periodStart: input.periodStart,
      periodEnd,
      description: input.description,
      runAt: input.runAt ?? `${input.year}-${String(Math.min(periodEnd, 12)).padStart(2, '0')}-25T09:00:00`,
      isLocked: input.isLocked ?? false,
      journal: structuredClone(journal),
      recalculations: 0,
    };
    this.runs.set(id, run);
    return structuredClone(run);
  }

  /** "Journaalposten herberekenen": amounts change (default +1.5 % per call), balance is kept. */
  recalculateRun(runId: number, factor = 1.015): Run {
    const run = this.mustRun(runId);
    run.journal = recalculate(run.journal, factor);
    run.recalculations++;
    run.runAt = recalculatedRunAt(run.runAt);
    return structuredClone(run);
  }

  lockRun(runId: number, locked = true): Run {
    const run = this.mustRun(runId);
    run.isLocked = locked;
    return structuredClone(run);
  }

  /** Switch one API call Active/Inactive in a user's template. `call` may be `Service:Call`. */
  setCallActive(username: string, call: string, active: boolean): NmbrsUser {
    const user = this.user(username);
    if (!user) throw new StateError(404, `user ${username} not found`);
    const inactive = new Set(user.inactiveCalls ?? []);
    if (active) inactive.delete(call);
    else inactive.add(call);
    user.inactiveCalls = [...inactive].sort();
    return structuredClone(user);
  }

  upsertUser(user: NmbrsUser): NmbrsUser {
    this.users.set(user.username.toLowerCase(), structuredClone(user));
    return structuredClone(user);
  }

  replaceUsers(users: NmbrsUser[]): void {
    this.users = new Map(users.map((u) => [u.username.toLowerCase(), structuredClone(u)]));
  }

  private mustRun(runId: number): Run {
    const run = this.runs.get(runId);
    if (!run) throw new StateError(404, `run ${runId} not found`);
    return run;
  }
}
