/**
 * A small but valid PDF 1.4 writer for the simulators' documents (payslips, annual documents): one
 * page per entry of `pages`, each a list of text lines in Helvetica, with a correct xref table so
 * any reader opens it. Deterministic: the same input gives the same bytes (no dates, fixed ID).
 */
import { createHash } from 'node:crypto';

/** PDF string literal: Latin-1 text with (, ) and \ escaped; anything outside Latin-1 becomes '?'. */
function pdfString(text: string): string {
  let out = '';
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    const c = code > 0xff ? '?' : ch;
    out += c === '(' || c === ')' || c === '\\' ? `\\${c}` : c;
  }
  return `(${out})`;
}

export function renderPdf(title: string, pages: string[][]): Buffer {
  const objects: string[] = [];
  // Object number = index + 1.
  const add = (body: string) => objects.push(body);
  add('<< /Type /Catalog /Pages 2 0 R >>');
  add(''); // pages, filled in below
  add('<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>');
  const pageRefs: number[] = [];
  for (const lines of pages.length ? pages : [[]]) {
    const ops = ['BT', '/F1 11 Tf', '14 TL', '50 800 Td'];
    lines.forEach((line, i) => ops.push(`${i === 0 ? '' : 'T* '}${pdfString(line)} Tj`));
    ops.push('ET');
    const stream = ops.join('\n');
    add(`<< /Length ${Buffer.byteLength(stream, 'latin1')} >>\nstream\n${stream}\nendstream`);
    const contentRef = objects.length;
    add(`<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >> /Contents ${contentRef} 0 R >>`);
    pageRefs.push(objects.length);
  }
  objects[1] = `<< /Type /Pages /Kids [${pageRefs.map((r) => `${r} 0 R`).join(' ')}] /Count ${pageRefs.length} >>`;
  add(`<< /Title ${pdfString(title)} /Producer (Koppelwerk simulator) >>`);
  const info = objects.length;

  let pdf = '%PDF-1.4\n%\xe2\xe3\xcf\xd3\n';
  const offsets: number[] = [];
  objects.forEach((body, i) => {
    offsets.push(Buffer.byteLength(pdf, 'latin1'));
    pdf += `${i + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xref = Buffer.byteLength(pdf, 'latin1');
  pdf += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const o of offsets) pdf += `${String(o).padStart(10, '0')} 00000 n \n`;
  const id = createHash('md5').update(pdf, 'latin1').digest('hex');
  pdf += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R /Info ${info} 0 R /ID [<${id}> <${id}>] >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(pdf, 'latin1');
}

/** Light structural check used by tests: header, EOF marker, and every xref offset points at its object. */
export function isValidPdf(buf: Buffer): boolean {
  const text = buf.toString('latin1');
  if (!text.startsWith('%PDF-1.') || !text.trimEnd().endsWith('%%EOF')) return false;
  const m = /startxref\n(\d+)\n%%EOF\s*$/.exec(text);
  if (!m) return false;
  const xrefAt = Number(m[1]);
  if (!text.startsWith('xref\n', xrefAt)) return false;
  const head = /^xref\n0 (\d+)\n/.exec(text.slice(xrefAt));
  if (!head) return false;
  const count = Number(head[1]);
  const entries = text.slice(xrefAt + head[0].length).split('\n').slice(0, count);
  return entries.slice(1).every((e, i) => text.startsWith(`${i + 1} 0 obj`, Number(e.slice(0, 10))));
}
