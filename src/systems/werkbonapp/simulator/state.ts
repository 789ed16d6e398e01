/**
 * In-memory WerkbonApp account: tokens, master data, werkbonnen and call counters.
 * Operations return Open API result codes; HTTP concerns stay in api.ts and control.ts.
 */
import { DEMO_TOKEN, demoSeed } from './demo';
import { MESSAGES, WBA } from './envelope';
import { UPDATE_WORKORDER_ALL_OR_NOTHING } from './inferred';
import type { EntityName, WireRecord } from './records';
import { ENTITIES } from './records';
import type { StatusFilter, WorkorderStatus } from './status';
import { canTransition, isWorkorderStatus, statusAfterFetch } from './status';
import type { WireWorkorder } from './workorders';
import { buildMaterial, buildWorkorder, buildWorkperiod, renderWorkorder, workorderInputSchema } from './workorders';
import { isValidDmy, parseHm } from './wire';

export interface StatusChange {
  seq: number;
  from: WorkorderStatus;
  to: WorkorderStatus;
  /** What caused it: 'control', 'GetWorkorders' or 'GetWorkorder'. */
  via: string;
}

export interface StoredWorkorder {
  rowId: number;
  wire: WireWorkorder;
  history: StatusChange[];
}

export interface Seed {
  relations: WireRecord[];
  materials: WireRecord[];
  hourtypes: WireRecord[];
  workstatusses: WireRecord[];
  employees: string[];
  /** Control-API style werkbon input (see workorderInputSchema); parsed when added. */
  workorders: Record<string, unknown>[];
}

export type WorkorderRef = { rowId?: string; workorderNo?: string };
export interface OpResult<T = null> {
  code: number;
  messages: string[];
  response: T | null;
}

const FIRST_ROW_ID = 1001;

/**
 * The persistent part of the account, JSON-safe: Sets become arrays, Maps become [key, record]
 * pairs (or, for werkbonnen, the records, which carry their row id). Call counters are run-time only.
 */
export interface WerkbonAppSnapshot {
  tokens: string[];
  entities: Record<EntityName, Array<[string, WireRecord]>>;
  employees: string[];
  workorders: StoredWorkorder[];
  nextRowId: number;
  seq: number;
}

export class WerkbonAppState {
  readonly tokens = new Set<string>();
  readonly entities: Record<EntityName, Map<string, WireRecord>> = {
    relations: new Map(),
    materials: new Map(),
    hourtypes: new Map(),
    workstatusses: new Map(),
  };
  readonly employees = new Set<string>();
  readonly workorders = new Map<number, StoredWorkorder>();
  /** Per-endpoint call counters, keyed "METHOD endpoint". */
  readonly calls = new Map<string, number>();
  private nextRowId = FIRST_ROW_ID;
  private seq = 0;

  constructor(opts: { demo?: boolean; tokens?: string[] } = {}) {
    this.setTokens(opts.tokens ?? [DEMO_TOKEN]);
    this.reset(opts.demo ?? true);
  }

  setTokens(tokens: string[]): void {
    this.tokens.clear();
    for (const t of tokens) this.tokens.add(t);
  }

  /** Back to the demo data (or empty). Tokens stay as configured. */
  reset(demo = true): void {
    for (const m of Object.values(this.entities)) m.clear();
    this.employees.clear();
    this.workorders.clear();
    this.calls.clear();
    this.nextRowId = FIRST_ROW_ID;
    this.seq = 0;
    if (!demo) return;
    const seed = demoSeed();
    for (const name of Object.keys(this.entities) as EntityName[]) this.upsert(name, seed[name]);
    for (const e of seed.employees) this.employees.add(e);
    for (const w of seed.workorders) this.addWorkorder(w);
  }

  snapshot(): WerkbonAppSnapshot {
    const entities = Object.fromEntries(
      (Object.keys(this.entities) as EntityName[]).map((name) => [name, [...this.entities[name].entries()]]),
    ) as WerkbonAppSnapshot['entities'];
    return structuredClone({
      tokens: [...this.tokens],
      entities,
      employees: [...this.employees],
      workorders: [...this.workorders.values()].sort((a, b) => a.rowId - b.rowId),
      nextRowId: this.nextRowId,
      seq: this.seq,
    });
  }

  /** Replaces tokens, master data and werkbonnen with a `snapshot()`; call counters start afresh. */
  load(snapshot: WerkbonAppSnapshot): void {
    const data = structuredClone(snapshot);
    if (!Array.isArray(data?.tokens)) throw new Error('"tokens" is not a list');
    if (!Array.isArray(data.employees)) throw new Error('"employees" is not a list');
    if (!Array.isArray(data.workorders)) throw new Error('"workorders" is not a list');
    if (typeof data.entities !== 'object' || data.entities === null) throw new Error('"entities" is not an object');
    for (const name of Object.keys(this.entities) as EntityName[]) {
      if (!Array.isArray(data.entities[name])) throw new Error(`"entities.${name}" is not a list`);
    }
    for (const w of data.workorders) {
      if (!Number.isInteger(w?.rowId) || typeof w.wire?.scalars !== 'object' || !Array.isArray(w.history)) {
        throw new Error(`werkbon ${JSON.stringify(w?.rowId)} is incomplete`);
      }
    }
    this.setTokens(data.tokens);
    for (const name of Object.keys(this.entities) as EntityName[]) {
      this.entities[name].clear();
      for (const [key, record] of data.entities[name]) this.entities[name].set(String(key), record);
    }
    this.employees.clear();
    for (const e of data.employees) this.employees.add(e);
    this.workorders.clear();
    let maxRowId = FIRST_ROW_ID - 1;
    for (const w of data.workorders) {
      this.workorders.set(w.rowId, w);
      maxRowId = Math.max(maxRowId, w.rowId);
    }
    this.calls.clear();
    // Never hand out a row id twice, even if the saved counter were behind.
    this.nextRowId = Math.max(Number(data.nextRowId) || FIRST_ROW_ID, maxRowId + 1);
    this.seq = Number(data.seq) || 0;
  }

  countCall(key: string): void {
    this.calls.set(key, (this.calls.get(key) ?? 0) + 1);
  }

  upsert(name: EntityName, records: WireRecord[]): number {
    const spec = ENTITIES[name];
    for (const r of records) this.entities[name].set(String(r[spec.key]), { ...r });
    return records.length;
  }

  /** DeleteEntity: by the natural key's value, or every record of the entity. Returns how many went. */
  remove(name: EntityName, value: string | undefined, all: boolean): number {
    const records = this.entities[name];
    if (all) {
      const n = records.size;
      records.clear();
      return n;
    }
    return value !== undefined && records.delete(value) ? 1 : 0;
  }

  list(name: EntityName): WireRecord[] {
    return [...this.entities[name].values()].map((r) => ({ ...r }));
  }

  addWorkorder(input: unknown): StoredWorkorder {
    const parsed = workorderInputSchema.parse(input);
    const rowId = this.nextRowId++;
    const relation = this.entities.relations.get(parsed.CustomerDebtorNrInvoice);
    const stored: StoredWorkorder = { rowId, wire: buildWorkorder(rowId, parsed, relation), history: [] };
    this.workorders.set(rowId, stored);
    return stored;
  }

  find(ref: WorkorderRef): StoredWorkorder | undefined {
    if (ref.rowId) return this.workorders.get(Number(ref.rowId));
    if (ref.workorderNo) return [...this.workorders.values()].find((w) => w.wire.scalars.WorkorderNo === ref.workorderNo);
    return undefined;
  }

  /** Control API lookup: a numeric id is a row id, anything else a werkbon number. */
  findByAnyId(id: string): StoredWorkorder | undefined {
    return /^\d+$/.test(id) ? this.find({ rowId: id }) ?? this.find({ workorderNo: id }) : this.find({ workorderNo: id });
  }

  statusOf(w: StoredWorkorder): WorkorderStatus {
    const s = w.wire.scalars.status;
    return isWorkorderStatus(s) ? s : 'Klaargezet';
  }

  /** Moves a werkbon along the status machine; false when the transition is not allowed. */
  transition(w: StoredWorkorder, to: WorkorderStatus, via: string): boolean {
    const from = this.statusOf(w);
    if (from === to) return true;
    if (!canTransition(from, to)) return false;
    w.wire.scalars.status = to;
    if (to === 'Compleet') w.wire.scalars.WorkFinished = '1';
    w.history.push({ seq: ++this.seq, from, to, via });
    return true;
  }

  /** Control API: the employee finished the bon on the tablet, optionally adding hours and materials. */
  complete(w: StoredWorkorder, extra: { Workperiods?: unknown[]; Materials?: unknown[] } = {}): boolean {
    const parsed = workorderInputSchema.pick({ Workperiods: true, Materials: true }).parse(extra);
    if (!this.transition(w, 'Compleet', 'control')) return false;
    w.wire.Workperiods.push(...(parsed.Workperiods ?? []).map(buildWorkperiod));
    w.wire.Materials.push(...(parsed.Materials ?? []).map(buildMaterial));
    return true;
  }

  /** GetWorkorders: the snapshot as read; then, with update_status, Compleet bonnen become Afgehandeld. */
  fetchWorkorders(status: StatusFilter, workstatus: string | undefined, updateStatus: boolean): Record<string, unknown>[] {
    const hits = [...this.workorders.values()]
      .filter((w) => status === 'Alle' || this.statusOf(w) === status)
      .filter((w) => !workstatus || w.wire.scalars.WorkStatus === workstatus)
      .sort((a, b) => a.rowId - b.rowId);
    const out = hits.map((w) => renderWorkorder(w.rowId, w.wire));
    for (const w of hits) this.markFetched(w, updateStatus, 'GetWorkorders');
    return out;
  }

  fetchWorkorder(ref: WorkorderRef, updateStatus: boolean): OpResult<Record<string, unknown>> {
    if (!ref.rowId && !ref.workorderNo) return { code: WBA.WORKORDER_NOT_FOUND, messages: [MESSAGES.missingWorkorderRef], response: null };
    const w = this.find(ref);
    if (!w) return { code: WBA.WORKORDER_NOT_FOUND, messages: [], response: null };
    const out = renderWorkorder(w.rowId, w.wire);
    this.markFetched(w, updateStatus, 'GetWorkorder');
    return { code: WBA.OK, messages: [], response: out };
  }

  private markFetched(w: StoredWorkorder, updateStatus: boolean, via: string): void {
    const next = statusAfterFetch(this.statusOf(w), updateStatus);
    if (next !== this.statusOf(w)) this.transition(w, next, via);
  }

  /**
   * UpdateWorkorder. With an invalid value the answer is 1504 listing every problem; whether the
   * valid values are saved then is a guess (UPDATE_WORKORDER_ALL_OR_NOTHING, inferred.ts).
   */
  updateWorkorder(
    ref: WorkorderRef,
    changes: { workdate?: string; worktime?: string; employee_nr?: string; workstatus?: string },
  ): OpResult {
    if (!ref.rowId && !ref.workorderNo) return { code: WBA.WORKORDER_NOT_FOUND, messages: [MESSAGES.missingWorkorderRef], response: null };
    const w = this.find(ref);
    if (!w) return { code: WBA.WORKORDER_NOT_FOUND, messages: [], response: null };
    const given = Object.entries(changes).filter(([, v]) => v !== undefined && v !== '') as [string, string][];
    if (given.length === 0) return { code: WBA.UPDATE_WITHOUT_DATA, messages: [MESSAGES.updateWithoutData], response: null };

    const invalid: Record<string, string> = {};
    if (changes.workdate && !isValidDmy(changes.workdate)) invalid.workdate = MESSAGES.dateInvalid;
    if (changes.worktime && parseHm(changes.worktime) === null) invalid.worktime = MESSAGES.timeInvalid;
    if (changes.employee_nr && !this.employees.has(changes.employee_nr)) invalid.employee_nr = MESSAGES.employeeNotUpdated;
    if (changes.workstatus && !this.entities.workstatusses.has(changes.workstatus)) invalid.workstatus = MESSAGES.workstatusUnknown;
    const problems = Object.values(invalid);
    const parseProblem = { code: WBA.PARSE_PROBLEM, messages: problems, response: null };
    if (problems.length > 0 && UPDATE_WORKORDER_ALL_OR_NOTHING) return parseProblem;

    const field: Record<string, string> = { workdate: 'WorkDate', worktime: 'WorkTime', employee_nr: 'EmployeeNr', workstatus: 'WorkStatus' };
    const s = w.wire.scalars;
    const changed = given.filter(([k, v]) => !(k in invalid) && s[field[k]] !== v);
    for (const [k, v] of changed) s[field[k]] = v;
    if (problems.length > 0) return parseProblem;
    if (changed.length === 0) return { code: WBA.NO_DATA_CHANGED, messages: [MESSAGES.noDataChanged], response: null };
    return { code: WBA.OK, messages: [], response: null };
  }

  /** Full state of one werkbon for assertions: the wire record plus its status history. */
  inspect(w: StoredWorkorder): Record<string, unknown> {
    return { ...renderWorkorder(w.rowId, w.wire), history: w.history.map((h) => ({ ...h })) };
  }
}
