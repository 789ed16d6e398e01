/** What a nominal local time becomes for one koppeling once its due times are spread (HH:MM). */
import { spreadOffsetMs, type Cadence } from '../../src/domain/cadence';

export function spreadLocal(hhmm: string, cadence: Cadence, koppelingId: string): string {
  const [h, m] = hhmm.split(':').map(Number);
  const total = h * 60 + m + Math.floor(spreadOffsetMs(cadence, koppelingId) / 60_000);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${pad(Math.floor(total / 60) % 24)}:${pad(total % 60)}`;
}
