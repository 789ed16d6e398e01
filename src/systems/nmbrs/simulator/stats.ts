/** Per-operation call counters (`Service:Operation`), read by tests and benchmarks via /_control/stats. */
export interface OperationCount {
  requests: number;
  faults: number;
}

export class CallStats {
  private counts = new Map<string, OperationCount>();
  private wsdlRequests = 0;

  record(service: string, operation: string, faulted: boolean): void {
    const key = `${service}:${operation}`;
    const c = this.counts.get(key) ?? { requests: 0, faults: 0 };
    c.requests++;
    if (faulted) c.faults++;
    this.counts.set(key, c);
  }

  recordWsdl(): void {
    this.wsdlRequests++;
  }

  count(service: string, operation: string): OperationCount {
    return { ...(this.counts.get(`${service}:${operation}`) ?? { requests: 0, faults: 0 }) };
  }

  snapshot(): { operations: Record<string, OperationCount>; totals: OperationCount; wsdl: number } {
    const operations = Object.fromEntries([...this.counts].sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => [k, { ...v }]));
    const totals = [...this.counts.values()].reduce(
      (t, c) => ({ requests: t.requests + c.requests, faults: t.faults + c.faults }),
      { requests: 0, faults: 0 },
    );
    return { operations, totals, wsdl: this.wsdlRequests };
  }

  reset(): void {
    this.counts.clear();
    this.wsdlRequests = 0;
  }
}
