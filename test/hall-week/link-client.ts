/**
 * The window system's side of the window link (window-link.md): calls with the link token, the event
 * stream (`GET /v1/events`, server-sent events), and the technician's diagnostics with the admin token.
 */
import http from 'node:http';
import { until } from '../support/polling.js';

export interface LinkEventSeen {
  type: string;
  ticketNo: string;
  sessionId: string;
  state?: string;
}

export interface LinkAnswer {
  status: number;
  json: Record<string, unknown> | null;
}

export class LinkClient {
  readonly events: LinkEventSeen[] = [];
  #stream: http.ClientRequest | null = null;

  constructor(
    readonly url: string,
    readonly linkToken: string,
    readonly adminToken: string,
  ) {}

  async call(
    method: 'GET' | 'POST',
    pathname: string,
    body?: unknown,
    token = this.linkToken,
  ): Promise<LinkAnswer> {
    const response = await fetch(new URL(pathname, this.url), {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    let json: Record<string, unknown> | null;
    try {
      json = JSON.parse(text) as Record<string, unknown>;
    } catch {
      json = null;
    }
    return { status: response.status, json };
  }

  post(pathname: string, body: unknown): Promise<LinkAnswer> {
    return this.call('POST', pathname, body);
  }

  async diagnostics(): Promise<Record<string, unknown>> {
    const answer = await this.call('GET', '/v1/diagnostics', undefined, this.adminToken);
    if (answer.status !== 200 || !answer.json) throw new Error(`diagnostics answered ${answer.status}`);
    return answer.json;
  }

  /** Opens `GET /v1/events`; resolves once the stream is open. Events are appended to `events`. */
  openEvents(): Promise<void> {
    const url = new URL('/v1/events', this.url);
    return new Promise((resolve, reject) => {
      const request = http.get(
        {
          host: url.hostname,
          port: url.port,
          path: url.pathname,
          headers: { authorization: `Bearer ${this.linkToken}` },
        },
        (response) => {
          if (response.statusCode !== 200) {
            reject(new Error(`GET /v1/events answered ${response.statusCode}`));
            response.resume();
            return;
          }
          let buffer = '';
          response.setEncoding('utf8');
          response.on('data', (chunk: string) => {
            buffer += chunk;
            for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
              const block = buffer.slice(0, end);
              buffer = buffer.slice(end + 2);
              const type = /^event: (.+)$/m.exec(block)?.[1];
              const data = /^data: (.+)$/m.exec(block)?.[1];
              if (type && data)
                this.events.push({ type, ...(JSON.parse(data) as Omit<LinkEventSeen, 'type'>) });
            }
          });
          response.on('error', () => undefined);
          resolve();
        },
      );
      request.on('error', (error) => reject(error));
      this.#stream = request;
    });
  }

  closeEvents(): void {
    this.#stream?.destroy();
    this.#stream = null;
  }

  waitForEvent(
    what: string,
    predicate: (e: LinkEventSeen) => boolean,
    timeoutMs: number,
  ): Promise<LinkEventSeen> {
    return until(what, () => this.events.find(predicate), timeoutMs);
  }
}
