/** Wire conversions of the WerkbonApp connector, both directions, without HTTP. */
import {
  dmyToIso,
  durationToMinutes,
  formatDecimalComma,
  formatDecimalDot,
  isoToDmy,
  normalizeTime,
  parseDecimal,
} from '../../../src/systems/werkbonapp/client/convert';
import { hourTypeToWire, materialToWire, workorderChangesToParams } from '../../../src/systems/werkbonapp/client/mapping';
import { redact } from '../../../src/systems/werkbonapp/client/errors';
import { resolveApiBase } from '../../../src/systems/werkbonapp/client/http';

describe('decimals', () => {
  test.each([
    ['4,55', 4.55],
    ['4.55', 4.55],
    ['50.00', 50],
    ['12,5', 12.5],
    ['0', 0],
    ['-3,10', -3.1],
  ])('parseDecimal(%j) = %d', (s, n) => expect(parseDecimal(s)).toBe(n));

  test.each(['', '1.234,56', '4,5,5', 'abc', '€ 4,55'])('parseDecimal(%j) throws', (s) => expect(() => parseDecimal(s)).toThrow());

  test('formatting', () => {
    expect(formatDecimalComma(8.95)).toBe('8,95');
    expect(formatDecimalComma(2)).toBe('2,00');
    expect(formatDecimalComma(26.875)).toBe('26,88');
    expect(formatDecimalDot(62.5)).toBe('62.50');
    expect(() => formatDecimalComma(Number.NaN)).toThrow();
  });
});

describe('dates and times', () => {
  test('d-m-Y ↔ YYYY-MM-DD', () => {
    expect(dmyToIso('26-09-2013')).toBe('2013-09-26');
    expect(dmyToIso('1-3-2025')).toBe('2025-03-01');
    expect(isoToDmy('2025-03-01')).toBe('01-03-2025');
    expect(() => dmyToIso('31-02-2025')).toThrow();
    expect(() => isoToDmy('2025-02-30')).toThrow();
    expect(() => isoToDmy('01-03-2025')).toThrow();
  });

  test('times and durations', () => {
    expect(normalizeTime('8:30')).toBe('08:30');
    expect(normalizeTime('')).toBeNull();
    expect(() => normalizeTime('24:00')).toThrow();
    expect(durationToMinutes('03:45')).toBe(225);
    expect(durationToMinutes('10:00')).toBe(600);
    expect(durationToMinutes('')).toBe(0);
  });
});

describe('typed → wire', () => {
  test('material price with a decimal comma', () => {
    expect(materialToWire({ code: 'MAT-KABEL', description: 'Kabel', price: 2.15, unit: 'Meter' })).toMatchObject({ price: '2,15', freefield1: '' });
  });

  test('hour type price with a dot, flags as "0"/"1"', () => {
    expect(hourTypeToWire({ code: 'ARBM', name: 'Arbeid monteur', costBooking: false, saleBooking: true, salePrice: 62.5 })).toEqual({
      code: 'ARBM',
      name: 'Arbeid monteur',
      cost_booking: '0',
      sale_booking: '1',
      sale_price: '62.50',
      active: '1',
    });
  });

  test('werkbon changes as UpdateWorkorder parameters', () => {
    expect(workorderChangesToParams({ workDate: '2025-04-01', workTime: '7:05', workstatus: '1', status: 'Afgehandeld' })).toEqual({
      workdate: '01-04-2025',
      worktime: '07:05',
      workstatus: '1',
    });
  });
});

describe('plumbing', () => {
  test('redact removes secrets and token query values', () => {
    expect(redact('GET https://x/openapi/8/relations/?token=abc123&software_token=zz failed', [])).toBe(
      'GET https://x/openapi/8/relations/?token=***&software_token=*** failed',
    );
    expect(redact('connect failed for abc123', ['abc123'])).toBe('connect failed for ***');
  });

  test('base URL: server root or Open API base', () => {
    expect(resolveApiBase('https://www.werkbonapp.nl', 8)).toBe('https://www.werkbonapp.nl/openapi/8');
    expect(resolveApiBase('http://127.0.0.1:4103/openapi/8/', 8)).toBe('http://127.0.0.1:4103/openapi/8');
  });
});
