/**
 * A small browser for tests and benchmarks: follows redirects one by one, keeps cookies per host, reads the HTML
 * forms of a page and submits them (hidden fields, checked radios, the pressed button) the way a
 * browser does. Enough for an OAuth2 login → consent → company picker → callback trip.
 */
export interface Page {
  url: string;
  status: number;
  html: string;
  /** Every URL visited on the way, redirects included. */
  trail: string[];
}

const unescape = (s: string) => s.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
const attr = (tag: string, name: string) => {
  const m = new RegExp(`\\b${name}="([^"]*)"`, 'i').exec(tag);
  return m ? unescape(m[1]) : undefined;
};

export class Browser {
  private readonly jar = new Map<string, Map<string, string>>();

  private cookieHeader(url: URL): string | undefined {
    const c = this.jar.get(url.host);
    return c && c.size ? [...c].map(([k, v]) => `${k}=${v}`).join('; ') : undefined;
  }

  private store(url: URL, res: Response): void {
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const i = pair.indexOf('=');
      if (i <= 0) continue;
      const jar = this.jar.get(url.host) ?? new Map<string, string>();
      jar.set(pair.slice(0, i).trim(), pair.slice(i + 1).trim());
      this.jar.set(url.host, jar);
    }
  }

  /** GET (or POST a form) and follow every redirect; `headers` only on the first request. */
  async go(start: string, init: { method?: string; body?: URLSearchParams; headers?: Record<string, string> } = {}): Promise<Page> {
    let url = new URL(start);
    let method = init.method ?? 'GET';
    let body: URLSearchParams | undefined = init.body;
    let headers = init.headers ?? {};
    const trail: string[] = [];
    for (let hop = 0; hop < 25; hop++) {
      trail.push(url.toString());
      const cookie = this.cookieHeader(url);
      const res = await fetch(url, {
        method,
        redirect: 'manual',
        headers: { ...headers, ...(cookie ? { cookie } : {}), ...(body ? { 'content-type': 'application/x-www-form-urlencoded' } : {}) },
        body: body?.toString(),
      });
      this.store(url, res);
      const location = res.headers.get('location');
      if (res.status >= 300 && res.status < 400 && location) {
        await res.arrayBuffer();
        url = new URL(location, url);
        method = 'GET';
        body = undefined;
        headers = {};
        continue;
      }
      return { url: url.toString(), status: res.status, html: await res.text(), trail };
    }
    throw new Error(`too many redirects from ${start}`);
  }

  /** Submit the page's (first, or `index`th) form: its hidden fields and checked radios, then `fill`, then the button pressed. */
  async submit(page: Page, fill: Record<string, string> = {}, button?: { name: string; value: string }, index = 0): Promise<Page> {
    const forms = [...page.html.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/gi)];
    const form = forms[index];
    if (!form) throw new Error(`no form on ${page.url}:\n${page.html.slice(0, 500)}`);
    const action = new URL(attr(form[1], 'action') ?? page.url, page.url);
    const data = new URLSearchParams();
    for (const m of form[2].matchAll(/<input\b[^>]*>/gi)) {
      const tag = m[0];
      const type = (attr(tag, 'type') ?? 'text').toLowerCase();
      const name = attr(tag, 'name');
      if (!name || type === 'submit') continue;
      if (type === 'radio' || type === 'checkbox') {
        if (/\bchecked\b/i.test(tag)) data.set(name, attr(tag, 'value') ?? 'on');
        continue;
      }
      data.set(name, attr(tag, 'value') ?? '');
    }
    for (const [k, v] of Object.entries(fill)) data.set(k, v);
    if (button) data.set(button.name, button.value);
    return this.go(action.toString(), { method: (attr(form[1], 'method') ?? 'get').toUpperCase(), body: data });
  }
}
