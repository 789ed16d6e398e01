/** The short Dutch page the browser shows after the provider sent it back. Escaped; no tokens. */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

export function callbackPage(p: { ok: true; connectionName: string; system: string } | { ok: false; oorzaak: string; oplossing: string }): string {
  const body = p.ok
    ? `<h1>Autorisatie gelukt, u kunt dit venster sluiten</h1>
<p>De verbinding "${escapeHtml(p.connectionName)}" (${escapeHtml(p.system)}) is geautoriseerd. De koppelingen op deze verbinding gaan vanzelf verder.</p>`
    : `<h1>Autorisatie niet gelukt</h1>
<p><strong>Wat er misging:</strong> ${escapeHtml(p.oorzaak)}</p>
<p><strong>Wat u kunt doen:</strong> ${escapeHtml(p.oplossing)}</p>`;
  return `<!doctype html>
<html lang="nl"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Koppelwerk – autorisatie</title>
<style>body{font-family:system-ui,sans-serif;max-width:36rem;margin:4rem auto;padding:0 1rem;color:#222}h1{font-size:1.3rem}</style>
</head><body>
${body}
</body></html>
`;
}
